import { afterNodeMiss, type MissDecision } from '../../../core/missRule.js';
import type { Queryable } from '../pool.js';

/**
 * The holder could not find the task's file on its notes folder: the held row is read FOR
 * UPDATE, core's afterNodeMiss asked, and its answer written in the caller's transaction: back
 * to pending a while later (attempt refunded, place kept), or failed because no node could find
 * it. Null when the worker no longer holds the task.
 */
export async function leaveForAnotherNode(
  q: Queryable,
  taskId: number,
  workerId: string,
  now: number,
): Promise<MissDecision | null> {
  const { rows } = await q.query<{ attempts: number; miss_count: number; audio_path: string }>(
    `SELECT bt.attempts, bt.miss_count, t.audio_path
     FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id
     WHERE bt.id = $1 AND bt.status = 'processing' AND bt.locked_by = $2 FOR UPDATE OF bt`,
    [taskId, workerId],
  );
  const held = rows[0];
  if (!held) return null;
  const decision = afterNodeMiss(
    { attempts: held.attempts, missCount: held.miss_count, audioPath: held.audio_path },
    now,
  );
  if (decision.status === 'pending') {
    await q.query(
      `UPDATE background_tasks
       SET status = 'pending', attempts = $2, miss_count = $3, available_at = $4, locked_by = NULL, locked_at = NULL
       WHERE id = $1`,
      [taskId, decision.attempts, decision.missCount, decision.availableAt],
    );
    return decision;
  }
  await q.query(
    `WITH failed AS (
       UPDATE background_tasks
       SET status = 'failed', attempts = $2, miss_count = 0, completed_at = $3, locked_by = NULL, locked_at = NULL,
           error_kind = $4, error_message = $5
       WHERE id = $1
       RETURNING transcription_id
     )
     UPDATE transcriptions SET status = 'failed', error_kind = $4, error_message = $5
     WHERE id IN (SELECT transcription_id FROM failed)`,
    [taskId, decision.attempts, now, decision.errorKind, decision.errorMessage],
  );
  return decision;
}
