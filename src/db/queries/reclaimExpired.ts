import type { RecoveryReport } from '../../core/store.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { ABANDONED_COLUMNS, type AbandonedRow, applyCrashRule } from './recoverAbandoned.js';

/**
 * Tasks whose holder stopped renewing its lease (it died, or lost the database) before `now`
 * go back to pending, or fail, by the same crash rule as start-up recovery, in one IMMEDIATE
 * transaction. Their old holder's late writes are refused: each is guarded by locked_by.
 */
export function reclaimExpired(db: Db, now: number): RecoveryReport {
  return immediate(db, () =>
    applyCrashRule(
      db,
      stmt<[number], AbandonedRow>(
        db,
        `SELECT ${ABANDONED_COLUMNS} FROM background_tasks
         WHERE status = 'processing' AND lease_expires_at < ?`,
      ).all(now),
      now,
    ),
  );
}
