import type { CompleteTaskInput } from '../../../core/store.js';
import type { Queryable } from '../pool.js';
import { writeTranscript } from './writeTranscript.js';

/**
 * The task is completed and its transcription gets the text, only while `workerId` still holds
 * the task (it may have been cancelled, or taken over, meanwhile). Run inside a transaction:
 * the row lock the first UPDATE takes keeps anyone else off the task until both halves commit.
 */
export async function completeTask(q: Queryable, input: CompleteTaskInput): Promise<boolean> {
  const { rows } = await q.query<{ transcription_id: string; checkpoint_chunks: number }>(
    `UPDATE background_tasks
     SET status = 'completed', progress = 1, completed_at = $3, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL,
         error_kind = NULL, error_message = NULL
     WHERE id = $1 AND status = 'processing' AND locked_by = $2
     RETURNING transcription_id, checkpoint_chunks`,
    [input.taskId, input.workerId, input.now],
  );
  const done = rows[0];
  if (!done) return false;
  await writeTranscript(q, done.transcription_id, input);
  // The transcript now lives in `transcriptions`; the checkpoint's copy is no longer needed.
  if (done.checkpoint_chunks > 0) await q.query('DELETE FROM task_chunks WHERE task_id = $1', [input.taskId]);
  return true;
}
