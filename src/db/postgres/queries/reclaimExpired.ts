import type { RecoveryReport } from '../../../core/store.js';
import type { Queryable } from '../pool.js';
import { ABANDONED_COLUMNS, type AbandonedRow, applyCrashRule } from './recoverAbandoned.js';

/**
 * Any node, now and then: tasks whose holder stopped renewing its lease before `now` (the node
 * died, or lost the database) go back to pending, or fail, by core's afterCrash rule, in the
 * caller's transaction. SKIP LOCKED passes over a row its holder is writing this very moment
 * (a completion in flight) and lets several nodes reclaim at once without waiting on each other.
 * The old holder's late writes are refused afterwards: each is guarded by locked_by.
 */
export async function reclaimExpired(q: Queryable, now: number): Promise<RecoveryReport> {
  const { rows } = await q.query<AbandonedRow>(
    `SELECT ${ABANDONED_COLUMNS} FROM background_tasks
     WHERE status = 'processing' AND lease_expires_at < $1
     ORDER BY id FOR UPDATE SKIP LOCKED`,
    [now],
  );
  return applyCrashRule(q, rows, now);
}
