import { InvalidState, NotFound } from '../../core/errors.js';
import type { Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { getTask } from './getTask.js';

/**
 * A pending or processing task becomes cancelled. A processing one is then no
 * longer held by its worker, so the worker's later writes change nothing; the
 * worker sees the cancellation and aborts the engine.
 */
export function cancelTask(db: Db, id: number, now: number): Task {
  return immediate(db, () => {
    const changed = stmt(
      db,
      `UPDATE background_tasks
       SET status = 'cancelled', completed_at = @now, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL
       WHERE id = @id AND status IN ('pending', 'processing')`,
    ).run({ id, now }).changes;
    const task = getTask(db, id);
    if (!task) throw new NotFound(`Task ${id}`);
    if (changed === 0)
      throw new InvalidState(`Task ${id} is ${task.status}; only pending or running tasks can be cancelled`);
    return task;
  });
}
