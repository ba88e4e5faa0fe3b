import type { RecoveryReport } from '../../core/store.js';
import { crashedMessage } from '../../core/transitions.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * How many deaths in the engine's child process one task is forgiven. Such a
 * death cannot be the file's doing as far as we can tell, but "as far as we
 * can tell" is not a proof: past this many, they count again, so that even a
 * file that somehow kills Hark only while the child hears it ends failed
 * instead of looping forever.
 */
export const MAX_FORGIVEN_CRASHES = 5;

/**
 * Start-up, by the process holding the instance lock: every task still
 * `processing` was left by a process that died, so it goes back to pending at
 * once (no lease to wait out). The attempt was counted at claim, so that a
 * file that kills the process uses up its retries (the poison-pill rule), and
 * a task that has used all its retries this way fails as `crashed`. Two kinds
 * of death are not blamed on the file, and give the attempt back:
 * - the attempt committed new chunks before dying (the file is not what kills us);
 * - the attempt died while its engine's child process was hearing a window
 *   (in_engine_child): the file is read only there, and a child that dies is
 *   an ordinary engine failure Hark survives, so a death of Hark then came from
 *   outside (a kill, a power cut), up to MAX_FORGIVEN_CRASHES times per task.
 *   Without this, three outside kills while a short file was being heard
 *   failed a good file as `crashed` (the crash soak measured it).
 */
export function recoverAbandoned(db: Db, now: number): RecoveryReport {
  return immediate(db, () => {
    stmt(
      db,
      `UPDATE background_tasks SET attempts = max(attempts - 1, 0)
       WHERE status = 'processing' AND checkpoint_chunks > checkpoint_chunks_at_claim`,
    ).run();
    stmt(
      db,
      `UPDATE background_tasks SET attempts = max(attempts - 1, 0), forgiven_crashes = forgiven_crashes + 1
       WHERE status = 'processing' AND checkpoint_chunks = checkpoint_chunks_at_claim
         AND in_engine_child = 1 AND forgiven_crashes < @limit`,
    ).run({ limit: MAX_FORGIVEN_CRASHES });
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
       SET status = 'pending', available_at = @now, locked_by = NULL, locked_at = NULL, in_engine_child = 0
       WHERE status = 'processing'`,
    ).run({ now });
    return { requeued: requeued.changes, failed: doomed.length };
  });
}
