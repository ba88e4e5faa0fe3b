import type { Queryable } from '../pool.js';

/** Retention: removes completed tasks that finished before `before` (epoch ms). Their transcriptions stay. */
export async function pruneCompleted(q: Queryable, before: number): Promise<number> {
  return (
    (await q.query(`DELETE FROM background_tasks WHERE status = 'completed' AND completed_at < $1`, [before]))
      .rowCount ?? 0
  );
}
