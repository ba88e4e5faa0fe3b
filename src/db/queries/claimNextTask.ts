import { ATTEMPTS_COUNTED_AT_CLAIM } from '../../core/retryRules.js';
import type { Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { getTask } from './getTask.js';

/**
 * Takes the next runnable task for `workerId`: pending, out of backoff, in
 * order `priority DESC, order_key, id`, and never while the queue is paused
 * (the pause is checked in the same statement, so a pause written by another
 * process takes effect at the very next claim). The attempt is counted here
 * (core's afterClaim rule): the claim stays one UPDATE … RETURNING, the hot path
 * of the queue, so the rule's constant is added in SQL instead of read back and written.
 * The claim starts the worker's lease: the task is its own until `now + leaseMs`.
 */
export function claimNextTask(
  db: Db,
  workerId: string,
  now: number,
  leaseMs: number,
  maxDurationSeconds?: number,
): Task | null {
  // `--parallel`: a worker loop joining others takes the next task only if its audio is known to
  // be short. Never one further back: a long task at the head is not overtaken, it waits for the
  // running short ones to end and then runs alone. (Its own statement text, so the single
  // worker's claim stays as it was.)
  const short =
    maxDurationSeconds === undefined
      ? ''
      : `AND (SELECT t.duration FROM transcriptions t WHERE t.id = background_tasks.transcription_id)
           <= @maxDurationSeconds`;
  return immediate(db, () => {
    const claimed = stmt<[unknown], { id: number }>(
      db,
      `UPDATE background_tasks
       SET status = 'processing', attempts = attempts + @counted, started_at = @now, locked_by = @workerId,
           locked_at = @now, checkpoint_chunks_at_claim = checkpoint_chunks, in_engine_child = 0,
           lease_expires_at = @now + @leaseMs, lease_ms = @leaseMs
       WHERE id = (
         SELECT id FROM background_tasks INDEXED BY background_tasks_claim_order
         WHERE status = 'pending' AND available_at <= @now
         ORDER BY priority DESC, order_key, id
         LIMIT 1
       )
       ${short}
       AND NOT EXISTS (SELECT 1 FROM app_state WHERE key = 'queue_paused' AND value = '1')
       RETURNING id`,
    ).get({
      workerId,
      now,
      counted: ATTEMPTS_COUNTED_AT_CLAIM,
      leaseMs,
      ...(maxDurationSeconds === undefined ? {} : { maxDurationSeconds }),
    });
    return claimed ? getTask(db, claimed.id) : null;
  });
}
