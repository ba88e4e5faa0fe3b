import type { RecoveryReport } from '../../core/store.js';
import { crashedMessage } from '../../core/transitions.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * Start-up, by the process holding the instance lock: every task still
 * `processing` was left by a process that died, so it goes back to pending at
 * once (no lease to wait out). The attempt was counted at claim; an attempt that
 * committed new chunks before dying gets it back (the file is not what kills
 * us), and a task that has used all its retries this way fails as `crashed`.
 */
export function recoverAbandoned(db: Db, now: number): RecoveryReport {
  return immediate(db, () => {
    stmt(
      db,
      `UPDATE background_tasks SET attempts = max(attempts - 1, 0)
       WHERE status = 'processing' AND checkpoint_chunks > checkpoint_chunks_at_claim`,
    ).run();
    const doomed = stmt<[], { id: number; transcription_id: string; attempts: number }>(
      db,
      `SELECT id, transcription_id, attempts FROM background_tasks
       WHERE status = 'processing' AND attempts > max_retries`,
    ).all();
    for (const task of doomed) {
      const message = crashedMessage(task.attempts);
      stmt(
        db,
        `UPDATE background_tasks
         SET status = 'failed', completed_at = @now, locked_by = NULL, locked_at = NULL,
             error_kind = 'crashed', error_message = @message
         WHERE id = @id`,
      ).run({ id: task.id, now, message });
      stmt(
        db,
        `UPDATE transcriptions SET status = 'failed', error_kind = 'crashed', error_message = @message WHERE id = @id`,
      ).run({ id: task.transcription_id, message });
    }
    const requeued = stmt(
      db,
      `UPDATE background_tasks
       SET status = 'pending', available_at = @now, locked_by = NULL, locked_at = NULL
       WHERE status = 'processing'`,
    ).run({ now });
    return { requeued: requeued.changes, failed: doomed.length };
  });
}
