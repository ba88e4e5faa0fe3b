import { afterCrash } from '../../../core/retryRules.js';
import type { RecoveryReport } from '../../../core/store.js';
import type { Queryable } from '../pool.js';

export interface AbandonedRow {
  id: number;
  transcription_id: string;
  attempts: number;
  max_retries: number;
  forgiven_crashes: number;
  committed_since_claim: boolean;
  in_engine_child: number;
}

/**
 * Start-up recovery, as SQLite's (src/db/queries/recoverAbandoned.ts): every task left
 * `processing` goes back to pending at once, or fails as `crashed`; which deaths count against
 * the file is core's afterCrash rule. The rows are read FOR UPDATE, the rule asked, its answer
 * written, in the caller's transaction. With one node per database this is exact; several
 * nodes need leases instead (issue 10), and must not call this while another node is working.
 */
export async function recoverAbandoned(q: Queryable, now: number): Promise<RecoveryReport> {
  const { rows } = await q.query<AbandonedRow>(
    `SELECT ${ABANDONED_COLUMNS} FROM background_tasks WHERE status = 'processing' ORDER BY id FOR UPDATE`,
  );
  return applyCrashRule(q, rows, now);
}

/** What the crash rule reads about each abandoned row (recoverAbandoned, reclaimExpired). */
export const ABANDONED_COLUMNS = `id, transcription_id, attempts, max_retries, forgiven_crashes, in_engine_child,
  checkpoint_chunks > checkpoint_chunks_at_claim AS committed_since_claim`;

/** Asks core's afterCrash about each abandoned row (locked by the caller) and writes its answer. */
export async function applyCrashRule(
  q: Queryable,
  rows: readonly AbandonedRow[],
  now: number,
): Promise<RecoveryReport> {
  let failed = 0;
  for (const row of rows) {
    const decision = afterCrash({
      attempts: row.attempts,
      maxRetries: row.max_retries,
      forgivenCrashes: row.forgiven_crashes,
      committedSinceClaim: row.committed_since_claim,
      inEngineChild: row.in_engine_child === 1,
    });
    if (decision.status === 'failed') {
      failed++;
      await q.query(
        `WITH failed AS (
           UPDATE background_tasks
           SET status = 'failed', attempts = $2, forgiven_crashes = $3, completed_at = $4,
               locked_by = NULL, locked_at = NULL, lease_expires_at = NULL, error_kind = $5, error_message = $6
           WHERE id = $1
         )
         UPDATE transcriptions SET status = 'failed', error_kind = $5, error_message = $6 WHERE id = $7`,
        [
          row.id,
          decision.attempts,
          decision.forgivenCrashes,
          now,
          decision.errorKind,
          decision.errorMessage,
          row.transcription_id,
        ],
      );
    } else {
      await q.query(
        `UPDATE background_tasks
         SET status = 'pending', attempts = $2, forgiven_crashes = $3, available_at = $4,
             locked_by = NULL, locked_at = NULL, lease_expires_at = NULL, in_engine_child = 0
         WHERE id = $1`,
        [row.id, decision.attempts, decision.forgivenCrashes, now],
      );
    }
  }
  return { requeued: rows.length - failed, failed };
}
