import { InvalidState, NotFound } from '../../../core/errors.js';
import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { getTask } from './getTask.js';

/**
 * A failed or cancelled task (all failed ones when `id` is null) goes back to the queue with a
 * fresh set of retries, keeping its checkpoint, unless its audio already has a live task; its
 * transcription is pending again. One statement. Returns the ids retried.
 */
export async function retryTasks(q: Queryable, id: number | null, now: number): Promise<number[]> {
  const { rows } = await q.query<{ id: number }>(
    `WITH retried AS (
       UPDATE background_tasks bt
       SET status = 'pending', attempts = 0, available_at = $2, order_key = $2, completed_at = NULL,
           error_kind = NULL, error_message = NULL, locked_by = NULL, locked_at = NULL
       -- One task per audio, the oldest, as SQLite's one-by-one loop ends up with: two revived at
       -- once would break the one-live-task index.
       WHERE bt.id IN (
         SELECT DISTINCT ON (c.transcription_id) c.id FROM background_tasks c
         WHERE ($1::bigint IS NULL AND c.status = 'failed')
            OR (c.id = $1::bigint AND c.status IN ('failed', 'cancelled'))
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
    [id, now],
  );
  return rows.map((row) => row.id);
}

/** retryTasks for one task, with the user's errors: not found, or not in a state to retry. */
export async function retryTask(q: Queryable, id: number, now: number): Promise<Task> {
  const retried = await retryTasks(q, id, now);
  const task = await getTask(q, id);
  if (!task) throw new NotFound(`Task ${id}`);
  if (retried.length === 0)
    throw new InvalidState(`Task ${id} is ${task.status}; only failed or cancelled tasks can be retried`);
  return task;
}
