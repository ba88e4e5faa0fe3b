import { InvalidState, NotFound } from '../../core/errors.js';
import type { Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { getTask } from './getTask.js';

/**
 * "Transcribe next": the task takes the highest priority any pending task has
 * and a place before all of them, and leaves any backoff it was waiting out.
 */
export function moveToFront(db: Db, id: number, now: number): Task {
  return immediate(db, () => {
    const front = stmt<[], { priority: number; order_key: number }>(
      db,
      `SELECT priority, order_key FROM background_tasks INDEXED BY background_tasks_claim_order
       WHERE status = 'pending'
       ORDER BY priority DESC, order_key, id LIMIT 1`,
    ).get();
    const changed = front
      ? stmt(
          db,
          `UPDATE background_tasks
           SET priority = max(priority, @priority), order_key = @orderKey, available_at = min(available_at, @now)
           WHERE id = @id AND status = 'pending'`,
        ).run({ id, priority: front.priority, orderKey: front.order_key - 1, now }).changes
      : 0;
    const task = getTask(db, id);
    if (!task) throw new NotFound(`Task ${id}`);
    if (changed === 0)
      throw new InvalidState(`Task ${id} is ${task.status}; only pending tasks can be moved`);
    return task;
  });
}
