import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/**
 * An interrupted task goes back to pending at the front of its priority,
 * ready at once, and gets its attempt back: it was interrupted (pre-empted by a
 * recording, paused, or the app shut down), not at fault.
 */
export function requeueTask(
  db: Db,
  taskId: number,
  workerId: string,
  now: number,
  options: { preempted: boolean },
): boolean {
  const result = stmt(
    db,
    `UPDATE background_tasks
     SET status = 'pending', attempts = max(attempts - 1, 0), preempted_count = preempted_count + @preempted,
         available_at = @now, locked_by = NULL, locked_at = NULL,
         order_key = coalesce((SELECT min(p.order_key) FROM background_tasks p INDEXED BY background_tasks_claim_order
                               WHERE p.status = 'pending' AND p.priority = background_tasks.priority), order_key) - 1
     WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId`,
  ).run({ taskId, workerId, now, preempted: options.preempted ? 1 : 0 });
  return result.changes > 0;
}
