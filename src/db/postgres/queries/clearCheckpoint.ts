import type { Queryable } from '../pool.js';

/** Forgets a task's checkpoint (its file changed, so the committed chunks describe other audio). One statement. */
export async function clearCheckpoint(q: Queryable, taskId: number): Promise<void> {
  await q.query(
    `WITH gone AS (DELETE FROM task_chunks WHERE task_id = $1)
     UPDATE background_tasks SET checkpoint_seconds = 0, checkpoint_chunks = 0, checkpoint_chunks_at_claim = 0
     WHERE id = $1`,
    [taskId],
  );
}
