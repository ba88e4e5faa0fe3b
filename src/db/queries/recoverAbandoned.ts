import { afterCrash } from '../../core/retryRules.js';
import type { RecoveryReport } from '../../core/store.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

export interface AbandonedRow {
  id: number;
  transcription_id: string;
  attempts: number;
  max_retries: number;
  forgiven_crashes: number;
  committed_since_claim: number;
  in_engine_child: number;
}

/**
 * Start-up, by the process holding the instance lock: every task still
 * `processing` was left by a process that died, so it goes back to pending at
 * once (no lease to wait out), or fails as `crashed` when its deaths have used
 * its retries. Which deaths count against the file is core's afterCrash rule;
 * this reads each abandoned row, asks the rule, and writes its answer, all in
 * one IMMEDIATE transaction.
 */
export function recoverAbandoned(db: Db, now: number): RecoveryReport {
  return immediate(db, () =>
    applyCrashRule(
      db,
      stmt<[], AbandonedRow>(
        db,
        `SELECT ${ABANDONED_COLUMNS} FROM background_tasks WHERE status = 'processing'`,
      ).all(),
      now,
    ),
  );
}

/** What the crash rule reads about each abandoned row (recoverAbandoned, reclaimExpired). */
export const ABANDONED_COLUMNS = `id, transcription_id, attempts, max_retries, forgiven_crashes, in_engine_child,
  checkpoint_chunks > checkpoint_chunks_at_claim AS committed_since_claim`;

/** Asks core's afterCrash about each abandoned row and writes its answer; inside the caller's transaction. */
export function applyCrashRule(db: Db, abandoned: readonly AbandonedRow[], now: number): RecoveryReport {
  let failed = 0;
  for (const row of abandoned) {
    const decision = afterCrash({
      attempts: row.attempts,
      maxRetries: row.max_retries,
      forgivenCrashes: row.forgiven_crashes,
      committedSinceClaim: row.committed_since_claim === 1,
      inEngineChild: row.in_engine_child === 1,
    });
    if (decision.status === 'failed') {
      failed++;
      stmt(
        db,
        `UPDATE background_tasks
         SET status = 'failed', attempts = @attempts, forgiven_crashes = @forgivenCrashes, completed_at = @now,
             locked_by = NULL, locked_at = NULL, lease_expires_at = NULL, error_kind = @errorKind, error_message = @errorMessage
         WHERE id = @id`,
      ).run({ id: row.id, now, ...decision });
      stmt(
        db,
        `UPDATE transcriptions SET status = 'failed', error_kind = @errorKind, error_message = @errorMessage
         WHERE id = @id`,
      ).run({
        id: row.transcription_id,
        errorKind: decision.errorKind,
        errorMessage: decision.errorMessage,
      });
    } else {
      stmt(
        db,
        `UPDATE background_tasks
         SET status = 'pending', attempts = @attempts, forgiven_crashes = @forgivenCrashes, available_at = @now,
             locked_by = NULL, locked_at = NULL, lease_expires_at = NULL, in_engine_child = 0
         WHERE id = @id`,
      ).run({ id: row.id, now, attempts: decision.attempts, forgivenCrashes: decision.forgivenCrashes });
    }
  }
  return { requeued: abandoned.length - failed, failed };
}
