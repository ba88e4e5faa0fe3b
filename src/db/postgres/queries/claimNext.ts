import { ATTEMPTS_COUNTED_AT_CLAIM } from '../../../core/retryRules.js';
import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTask, TASK_COLUMNS, toTask } from '../rows.js';

/**
 * Takes the next runnable task for `workerId` in one statement: pending, out of backoff, in
 * order `priority DESC, order_key, id`, never while the queue is paused (checked in the same
 * statement, so a pause written by any node stops the very next claim everywhere). FOR UPDATE
 * SKIP LOCKED lets any number of workers claim at once: each passes over the rows the others
 * are taking instead of queueing behind them, and no row is taken twice. The attempt is
 * counted here (core's afterClaim rule, as in SQLite's claimNextTask), and the worker's lease
 * starts (the task is its own until now + leaseMs): the claim stays one
 * statement, the queue's hot path, so the rule's constant is a parameter rather than read back.
 */
export async function claimNext(
  q: Queryable,
  workerId: string,
  now: number,
  leaseMs: number,
  maxDurationSeconds?: number,
): Promise<Task | null> {
  // `--parallel`: a worker loop joining others takes the next task only if its audio is known to
  // be short (never one further back: a long task at the head waits, then runs alone).
  const short =
    maxDurationSeconds === undefined
      ? ''
      : `AND EXISTS (SELECT 1 FROM transcriptions st WHERE st.id = background_tasks.transcription_id
                        AND st.duration <= $5)`;
  const { rows } = await q.query<DbTask>(
    `WITH claimed AS (
       UPDATE background_tasks
       SET status = 'processing', attempts = attempts + $3, started_at = $2, locked_by = $1, locked_at = $2,
           checkpoint_chunks_at_claim = checkpoint_chunks, in_engine_child = 0,
           lease_expires_at = $2 + $4::bigint, lease_ms = $4
       WHERE status = 'pending' AND id = (
         SELECT id FROM background_tasks
         WHERE status = 'pending' AND available_at <= $2
           AND NOT EXISTS (SELECT 1 FROM app_state WHERE key = 'queue_paused' AND value = '1')
         ORDER BY priority DESC, order_key, id
         FOR UPDATE SKIP LOCKED
         LIMIT 1
       ) ${short}
       RETURNING *
     )
     SELECT ${TASK_COLUMNS} FROM claimed bt JOIN transcriptions t ON t.id = bt.transcription_id`,
    maxDurationSeconds === undefined
      ? [workerId, now, ATTEMPTS_COUNTED_AT_CLAIM, leaseMs]
      : [workerId, now, ATTEMPTS_COUNTED_AT_CLAIM, leaseMs, maxDurationSeconds],
  );
  return rows[0] ? toTask(rows[0]) : null;
}
