import { afterInterruption } from '../../../core/retryRules.js';
import type { Queryable } from '../pool.js';

/**
 * An interrupted task goes back to pending at the front of its priority, ready at once, with
 * core's afterInterruption attempt count: it was interrupted (pre-empted, paused, shut down),
 * not at fault. The held row is read FOR UPDATE, the rule asked, its answer written, in the
 * caller's transaction.
 */
export async function requeueTask(
  q: Queryable,
  taskId: number,
  workerId: string,
  now: number,
  options: { preempted: boolean },
): Promise<boolean> {
  const { rows } = await q.query<{ attempts: number; preempted_count: number }>(
    `SELECT attempts, preempted_count FROM background_tasks
     WHERE id = $1 AND status = 'processing' AND locked_by = $2 FOR UPDATE`,
    [taskId, workerId],
  );
  const held = rows[0];
  if (!held) return false;
  const next = afterInterruption({ attempts: held.attempts, preemptedCount: held.preempted_count }, options);
  await q.query(
    `UPDATE background_tasks bt
     SET status = 'pending', attempts = $2, preempted_count = $3, available_at = $4,
         locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
         order_key = coalesce((SELECT min(p.order_key) FROM background_tasks p
                               WHERE p.status = 'pending' AND p.priority = bt.priority), bt.order_key) - 1
     WHERE bt.id = $1`,
    [taskId, next.attempts, next.preemptedCount, now],
  );
  return true;
}
