import { MAX_FORGIVEN_CRASHES } from '../../../core/retryRules.js';
import type { RecoveryReport } from '../../../core/store.js';
import { crashedMessage } from '../../../core/transitions.js';
import type { Queryable } from '../pool.js';

/**
 * Start-up recovery, with SQLite's rules (src/db/queries/recoverAbandoned.ts, which holds
 * MAX_FORGIVEN_CRASHES): every task left `processing` goes back to pending at once; its attempt
 * is given back when it had committed chunks since its claim, or died while its engine child
 * was hearing (a bounded number of times); a task whose attempts are spent fails as `crashed`.
 * Run inside a transaction. With one node per database this is exact; several nodes need
 * leases instead (issue 10), and must not call this while another node is working.
 */
export async function recoverAbandoned(q: Queryable, now: number): Promise<RecoveryReport> {
  await q.query(
    `UPDATE background_tasks SET attempts = greatest(attempts - 1, 0)
     WHERE status = 'processing' AND checkpoint_chunks > checkpoint_chunks_at_claim`,
  );
  await q.query(
    `UPDATE background_tasks SET attempts = greatest(attempts - 1, 0), forgiven_crashes = forgiven_crashes + 1
     WHERE status = 'processing' AND checkpoint_chunks = checkpoint_chunks_at_claim
       AND in_engine_child = 1 AND forgiven_crashes < $1`,
    [MAX_FORGIVEN_CRASHES],
  );
  const doomed = await q.query<{ id: number; transcription_id: string; attempts: number }>(
    `SELECT id, transcription_id, attempts FROM background_tasks
     WHERE status = 'processing' AND attempts > max_retries FOR UPDATE`,
  );
  for (const task of doomed.rows) {
    const message = crashedMessage(task.attempts);
    await q.query(
      `UPDATE background_tasks
       SET status = 'failed', completed_at = $2, locked_by = NULL, locked_at = NULL,
           error_kind = 'crashed', error_message = $3
       WHERE id = $1`,
      [task.id, now, message],
    );
    await q.query(
      `UPDATE transcriptions SET status = 'failed', error_kind = 'crashed', error_message = $2 WHERE id = $1`,
      [task.transcription_id, message],
    );
  }
  const requeued = await q.query(
    `UPDATE background_tasks
     SET status = 'pending', available_at = $1, locked_by = NULL, locked_at = NULL, in_engine_child = 0
     WHERE status = 'processing'`,
    [now],
  );
  return { requeued: requeued.rowCount ?? 0, failed: doomed.rows.length };
}
