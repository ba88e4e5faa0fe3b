import { InvalidState, NotFound } from '../../../core/errors.js';
import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { getTask } from './getTask.js';

/**
 * "Transcribe next": the task takes the highest priority any pending task has and a place
 * before all of them, and leaves any backoff it was waiting out. One statement.
 */
export async function moveToFront(q: Queryable, id: number, now: number): Promise<Task> {
  const changed = await q.query(
    `WITH front AS (
       SELECT priority, order_key FROM background_tasks WHERE status = 'pending'
       ORDER BY priority DESC, order_key, id LIMIT 1
     )
     UPDATE background_tasks bt
     SET priority = greatest(bt.priority, front.priority), order_key = front.order_key - 1,
         available_at = least(bt.available_at, $2)
     FROM front
     WHERE bt.id = $1 AND bt.status = 'pending'`,
    [id, now],
  );
  const task = await getTask(q, id);
  if (!task) throw new NotFound(`Task ${id}`);
  if ((changed.rowCount ?? 0) === 0)
    throw new InvalidState(`Task ${id} is ${task.status}; only pending tasks can be moved`);
  return task;
}
