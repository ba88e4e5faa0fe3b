import type { FailureDecision } from '../../core/retryRules.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * Applies a failure decision: back to pending after a backoff, or failed for
 * good (and then the transcription shows the reason too). The checkpoint is
 * kept, so a retry resumes where the failed attempt stopped.
 */
export function failTask(
  db: Db,
  taskId: number,
  workerId: string,
  decision: FailureDecision,
  now: number,
): boolean {
  return immediate(db, () => {
    if (decision.status === 'pending') {
      return (
        stmt(
          db,
          `UPDATE background_tasks
           SET status = 'pending', available_at = @availableAt, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
               error_kind = @errorKind, error_message = @errorMessage
           WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId`,
        ).run({ taskId, workerId, ...decision }).changes > 0
      );
    }
    const failed = stmt<[unknown], { transcription_id: string }>(
      db,
      `UPDATE background_tasks
       SET status = 'failed', completed_at = @now, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
           error_kind = @errorKind, error_message = @errorMessage
       WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId
       RETURNING transcription_id`,
    ).get({ taskId, workerId, now, errorKind: decision.errorKind, errorMessage: decision.errorMessage });
    if (!failed) return false;
    stmt(
      db,
      `UPDATE transcriptions SET status = 'failed', error_kind = @errorKind, error_message = @errorMessage
       WHERE id = @id`,
    ).run({
      id: failed.transcription_id,
      errorKind: decision.errorKind,
      errorMessage: decision.errorMessage,
    });
    return true;
  });
}
