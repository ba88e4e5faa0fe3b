import { InvalidState, NotFound } from '../../../core/errors.js';
import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { getTask } from './getTask.js';

/**
 * A pending or processing task becomes cancelled. A processing one is then held by nobody, so
 * its worker's later writes change nothing; the worker sees the cancellation and aborts.
 */
export async function cancelTask(q: Queryable, id: number, now: number): Promise<Task> {
  const changed = await q.query(
    `UPDATE background_tasks
     SET status = 'cancelled', completed_at = $2, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL
     WHERE id = $1 AND status IN ('pending', 'processing')`,
    [id, now],
  );
  const task = await getTask(q, id);
  if (!task) throw new NotFound(`Task ${id}`);
  if ((changed.rowCount ?? 0) === 0)
    throw new InvalidState(`Task ${id} is ${task.status}; only pending or running tasks can be cancelled`);
  return task;
}
