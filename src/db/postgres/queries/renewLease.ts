import type { Queryable } from '../pool.js';

/** The holder's heartbeat: its lease runs until `now + leaseMs`. False once the task is not its own. */
export async function renewLease(
  q: Queryable,
  taskId: number,
  workerId: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const result = await q.query(
    `UPDATE background_tasks SET lease_expires_at = $3::bigint + $4::bigint, lease_ms = $4, locked_at = $3
     WHERE id = $1 AND status = 'processing' AND locked_by = $2`,
    [taskId, workerId, now, leaseMs],
  );
  return (result.rowCount ?? 0) > 0;
}
