import { afterNodeMiss, type MissDecision } from '../../core/missRule.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * The holder could not find the task's file on its notes folder: core's afterNodeMiss says
 * whether it goes back (attempt refunded, a while later, its place in the queue kept) or fails
 * because no node could find it. Null when the worker no longer holds the task.
 */
export function leaveForAnotherNode(
  db: Db,
  taskId: number,
  workerId: string,
  now: number,
): MissDecision | null {
  return immediate(db, () => {
    const held = stmt<[unknown], { attempts: number; miss_count: number; audio_path: string }>(
      db,
      `SELECT bt.attempts, bt.miss_count, t.audio_path
       FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id
       WHERE bt.id = @taskId AND bt.status = 'processing' AND bt.locked_by = @workerId`,
    ).get({ taskId, workerId });
    if (!held) return null;
    const decision = afterNodeMiss(
      { attempts: held.attempts, missCount: held.miss_count, audioPath: held.audio_path },
      now,
    );
    if (decision.status === 'pending') {
      stmt(
        db,
        `UPDATE background_tasks
         SET status = 'pending', attempts = @attempts, miss_count = @missCount, available_at = @availableAt,
             locked_by = NULL, locked_at = NULL
         WHERE id = @taskId`,
      ).run({
        taskId,
        attempts: decision.attempts,
        missCount: decision.missCount,
        availableAt: decision.availableAt,
      });
      return decision;
    }
    const failed = stmt<[unknown], { transcription_id: string }>(
      db,
      `UPDATE background_tasks
       SET status = 'failed', attempts = @attempts, miss_count = 0, completed_at = @now,
           locked_by = NULL, locked_at = NULL, error_kind = @errorKind, error_message = @errorMessage
       WHERE id = @taskId
       RETURNING transcription_id`,
    ).get({
      taskId,
      now,
      attempts: decision.attempts,
      errorKind: decision.errorKind,
      errorMessage: decision.errorMessage,
    });
    if (failed) {
      stmt(
        db,
        `UPDATE transcriptions SET status = 'failed', error_kind = @errorKind, error_message = @errorMessage
         WHERE id = @id`,
      ).run({
        id: failed.transcription_id,
        errorKind: decision.errorKind,
        errorMessage: decision.errorMessage,
      });
    }
    return decision;
  });
}
