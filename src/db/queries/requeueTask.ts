import { afterInterruption } from '../../core/retryRules.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * An interrupted task goes back to pending at the front of its priority,
 * ready at once, and gets its attempt back (core's afterInterruption): it was
 * interrupted (pre-empted by a recording, paused, or the app shut down), not at fault.
 */
export function requeueTask(
  db: Db,
  taskId: number,
  workerId: string,
  now: number,
  options: { preempted: boolean },
): boolean {
  return immediate(db, () => {
    const held = stmt<[unknown], { attempts: number; preempted_count: number }>(
      db,
      `SELECT attempts, preempted_count FROM background_tasks
       WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId`,
    ).get({ taskId, workerId });
    if (!held) return false;
    const next = afterInterruption(
      { attempts: held.attempts, preemptedCount: held.preempted_count },
      options,
    );
    stmt(
      db,
      `UPDATE background_tasks
       SET status = 'pending', attempts = @attempts, preempted_count = @preemptedCount,
           available_at = @now, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
           order_key = coalesce((SELECT min(p.order_key) FROM background_tasks p INDEXED BY background_tasks_claim_order
                                 WHERE p.status = 'pending' AND p.priority = background_tasks.priority), order_key) - 1
       WHERE id = @taskId`,
    ).run({ taskId, now, ...next });
    return true;
  });
}
