import type { Queryable } from '../pool.js';

/** Removes completed tasks from the queue's lists. Their transcriptions stay. */
export async function clearCompleted(q: Queryable): Promise<number> {
  return (await q.query(`DELETE FROM background_tasks WHERE status = 'completed'`)).rowCount ?? 0;
}
