import { InvalidState, NotFound } from '../../../core/errors.js';
import { afterUserRetry } from '../../../core/retryRules.js';
import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { getTask } from './getTask.js';

interface Retryable {
  id: number;
  attempts: number;
}

/**
 * Puts the given failed or cancelled tasks (read FOR UPDATE by the caller, in its transaction)
 * back in the queue with core's afterUserRetry attempt count, keeping their checkpoints, unless
 * their audio already has a live task; their transcriptions are pending again. One statement
 * however many. Returns the ids retried.
 */
async function retryRows(q: Queryable, tasks: readonly Retryable[], now: number): Promise<number[]> {
  if (tasks.length === 0) return [];
  const { rows } = await q.query<{ id: number }>(
    `WITH decided AS (
       SELECT * FROM unnest($1::bigint[], $2::integer[]) AS d(id, attempts)
     ), retried AS (
       UPDATE background_tasks bt
       SET status = 'pending', attempts = d.attempts, available_at = $3, order_key = $3, completed_at = NULL,
           error_kind = NULL, error_message = NULL, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL
       FROM decided d
       WHERE bt.id = d.id
         -- One task per audio, the oldest, as SQLite's one-by-one loop ends up with: two revived
         -- in one statement would break the one-live-task index.
         AND bt.id IN (
           SELECT DISTINCT ON (c.transcription_id) c.id FROM background_tasks c
           WHERE c.id = ANY($1::bigint[]) AND c.status IN ('failed', 'cancelled')
           ORDER BY c.transcription_id, c.id
         )
         AND NOT EXISTS (SELECT 1 FROM background_tasks live
                         WHERE live.transcription_id = bt.transcription_id
                           AND live.status IN ('pending', 'processing'))
       RETURNING bt.id, bt.transcription_id
     ), reopened AS (
       UPDATE transcriptions SET status = 'pending', error_kind = NULL, error_message = NULL
       WHERE id IN (SELECT transcription_id FROM retried) AND status = 'failed'
     )
     SELECT id FROM retried`,
    [tasks.map((task) => task.id), tasks.map((task) => afterUserRetry(task).attempts), now],
  );
  return rows.map((row) => row.id);
}

/** A failed or cancelled task goes back with fresh retries; the user's errors: not found, or not retryable. */
export async function retryTask(q: Queryable, id: number, now: number): Promise<Task> {
  const { rows } = await q.query<Retryable & { status: string }>(
    'SELECT id, attempts, status FROM background_tasks WHERE id = $1 FOR UPDATE',
    [id],
  );
  const held = rows[0];
  if (!held) throw new NotFound(`Task ${id}`);
  const retried =
    held.status === 'failed' || held.status === 'cancelled' ? await retryRows(q, [held], now) : [];
  if (retried.length === 0)
    throw new InvalidState(`Task ${id} is ${held.status}; only failed or cancelled tasks can be retried`);
  const task = await getTask(q, id);
  if (!task) throw new NotFound(`Task ${id}`);
  return task;
}

/** Retry every failed task. Returns how many went back to the queue. */
export async function retryAllFailed(q: Queryable, now: number): Promise<number> {
  const { rows } = await q.query<Retryable>(
    `SELECT id, attempts FROM background_tasks WHERE status = 'failed' ORDER BY id FOR UPDATE`,
  );
  return (await retryRows(q, rows, now)).length;
}
