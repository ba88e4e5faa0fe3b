import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** The holder's heartbeat: its lease runs until `now + leaseMs`. False once the task is not its own. */
export function renewLease(db: Db, taskId: number, workerId: string, now: number, leaseMs: number): boolean {
  return (
    stmt(
      db,
      `UPDATE background_tasks SET lease_expires_at = @now + @leaseMs, lease_ms = @leaseMs, locked_at = @now
       WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId`,
    ).run({ taskId, workerId, now, leaseMs }).changes > 0
  );
}
