import { InvalidState, NotFound } from '../../core/errors.js';
import type { Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { getTask } from './getTask.js';

/**
 * Removes one finished task (completed, failed or cancelled) from the queue's lists. Only the
 * task row goes (its checkpoints with it); the transcription and its transcript stay. The
 * count triggers see the DELETE, so the O(1) counts stay right.
 */
export function deleteTask(db: Db, id: number): Task {
  return immediate(db, () => {
    const task = getTask(db, id);
    if (!task) throw new NotFound(`Task ${id}`);
    const removed = stmt(
      db,
      `DELETE FROM background_tasks WHERE id = @id AND status IN ('completed', 'failed', 'cancelled')`,
    ).run({ id }).changes;
    if (removed === 0)
      throw new InvalidState(
        `Task ${id} is ${task.status}; cancel it first, only finished tasks can be removed`,
      );
    return task;
  });
}
