import { InvalidState, NotFound } from '../../../core/errors.js';
import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { getTask } from './getTask.js';

/**
 * Removes one finished task (completed, failed or cancelled) from the queue's lists; the
 * transcription and its transcript stay. Run in a transaction: the row is locked first so a
 * concurrent retry cannot slip between the read and the DELETE. The slotted counter triggers
 * count the DELETE.
 */
export async function deleteTask(q: Queryable, id: number): Promise<Task> {
  await q.query('SELECT id FROM background_tasks WHERE id = $1 FOR UPDATE', [id]);
  const task = await getTask(q, id);
  if (!task) throw new NotFound(`Task ${id}`);
  const removed = await q.query(
    `DELETE FROM background_tasks WHERE id = $1 AND status IN ('completed', 'failed', 'cancelled')`,
    [id],
  );
  if ((removed.rowCount ?? 0) === 0)
    throw new InvalidState(
      `Task ${id} is ${task.status}; cancel it first, only finished tasks can be removed`,
    );
  return task;
}
