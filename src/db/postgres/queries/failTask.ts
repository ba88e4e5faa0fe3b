import type { FailureDecision } from '../../../core/retryRules.js';
import type { Queryable } from '../pool.js';

/**
 * Applies a failure decision (core's nextStateAfterFailure): back to pending after a backoff, or
 * failed for good, and then the transcription shows the reason too, in the same statement.
 * The checkpoint is kept, so a retry resumes where the failed attempt stopped.
 */
export async function failTask(
  q: Queryable,
  taskId: number,
  workerId: string,
  decision: FailureDecision,
  now: number,
): Promise<boolean> {
  if (decision.status === 'pending') {
    const result = await q.query(
      `UPDATE background_tasks
       SET status = 'pending', available_at = $3, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
           error_kind = $4, error_message = $5
       WHERE id = $1 AND status = 'processing' AND locked_by = $2`,
      [taskId, workerId, decision.availableAt, decision.errorKind, decision.errorMessage],
    );
    return (result.rowCount ?? 0) > 0;
  }
  const { rows } = await q.query<{ failed: boolean }>(
    `WITH failed AS (
       UPDATE background_tasks
       SET status = 'failed', completed_at = $3, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
           error_kind = $4, error_message = $5
       WHERE id = $1 AND status = 'processing' AND locked_by = $2
       RETURNING transcription_id
     ), shown AS (
       UPDATE transcriptions SET status = 'failed', error_kind = $4, error_message = $5
       WHERE id IN (SELECT transcription_id FROM failed)
     )
     SELECT EXISTS (SELECT 1 FROM failed) AS failed`,
    [taskId, workerId, now, decision.errorKind, decision.errorMessage],
  );
  return rows[0]?.failed === true;
}
