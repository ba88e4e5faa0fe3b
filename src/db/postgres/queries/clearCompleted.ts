import type { Queryable } from '../pool.js';

/** Removes completed (or cancelled) tasks from the queue's lists. Their transcriptions stay. */
export async function clearCompleted(
  q: Queryable,
  status: 'completed' | 'cancelled' = 'completed',
): Promise<number> {
  return (await q.query('DELETE FROM background_tasks WHERE status = $1', [status])).rowCount ?? 0;
}
