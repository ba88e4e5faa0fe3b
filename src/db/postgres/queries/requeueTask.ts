import type { Queryable } from '../pool.js';

/**
 * An interrupted task goes back to pending at the front of its priority, ready at once, and
 * gets its attempt back: it was interrupted (pre-empted, paused, shut down), not at fault.
 */
export async function requeueTask(
  q: Queryable,
  taskId: number,
  workerId: string,
  now: number,
  options: { preempted: boolean },
): Promise<boolean> {
  const result = await q.query(
    `UPDATE background_tasks bt
     SET status = 'pending', attempts = greatest(bt.attempts - 1, 0), preempted_count = bt.preempted_count + $4,
         available_at = $3, locked_by = NULL, locked_at = NULL,
         order_key = coalesce((SELECT min(p.order_key) FROM background_tasks p
                               WHERE p.status = 'pending' AND p.priority = bt.priority), bt.order_key) - 1
     WHERE bt.id = $1 AND bt.status = 'processing' AND bt.locked_by = $2`,
    [taskId, workerId, now, options.preempted ? 1 : 0],
  );
  return (result.rowCount ?? 0) > 0;
}
