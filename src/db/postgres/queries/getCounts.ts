import type { TaskCounts } from '../../../core/types.js';
import type { Queryable } from '../pool.js';

/** The trigger-kept counts, summed over their slots: 40 rows at any queue size. */
export async function getCounts(q: Queryable): Promise<TaskCounts> {
  const counts: TaskCounts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
  const { rows } = await q.query<{ status: keyof TaskCounts; n: number }>(
    'SELECT status, sum(n)::bigint AS n FROM task_counts GROUP BY status',
  );
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
