import { crashPoint } from '../../core/crashPoints.js';
import type { CompleteTaskInput } from '../../core/store.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { writeTranscript } from './writeTranscript.js';

/**
 * One transaction: the task is completed and its transcription gets the text
 * and segments. Nothing changes unless `workerId` still holds the task (it may
 * have been cancelled from another process meanwhile).
 */
export function completeTask(db: Db, input: CompleteTaskInput): boolean {
  return immediate(db, () => {
    const done = stmt<[unknown], { transcription_id: string; checkpoint_chunks: number }>(
      db,
      `UPDATE background_tasks
       SET status = 'completed', progress = 1, completed_at = @now, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
           error_kind = NULL, error_message = NULL
       WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId
       RETURNING transcription_id, checkpoint_chunks`,
    ).get({ taskId: input.taskId, workerId: input.workerId, now: input.now });
    if (!done) return false;
    crashPoint('commit'); // inside the transaction: a death here must leave neither half
    writeTranscript(db, done.transcription_id, input);
    // The transcript now lives in `transcriptions`; the checkpoint's copy is no longer needed.
    if (done.checkpoint_chunks > 0) stmt(db, 'DELETE FROM task_chunks WHERE task_id = ?').run(input.taskId);
    return true;
  });
}
