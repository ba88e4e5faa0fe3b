import { InvalidState, NotFound } from '../../core/errors.js';
import { afterUserRetry } from '../../core/retryRules.js';
import type { Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { getTask } from './getTask.js';

const RETRY_SQL = `
  UPDATE background_tasks
  SET status = 'pending', attempts = @attempts, available_at = @now, order_key = @now, completed_at = NULL,
      error_kind = NULL, error_message = NULL, locked_by = NULL, locked_at = NULL, lease_expires_at = NULL
  WHERE id = @id AND status IN ('failed', 'cancelled')
    AND NOT EXISTS (SELECT 1 FROM background_tasks live
                    WHERE live.transcription_id = background_tasks.transcription_id
                      AND live.status IN ('pending', 'processing'))
  RETURNING transcription_id`;

/** Puts one task back with core's afterUserRetry attempt count; false when it may not be retried. */
function retryOne(db: Db, task: Task, now: number): boolean {
  const row = stmt<[unknown], { transcription_id: string }>(db, RETRY_SQL).get({
    id: task.id,
    now,
    ...afterUserRetry(task),
  });
  if (!row) return false;
  stmt(
    db,
    `UPDATE transcriptions SET status = 'pending', error_kind = NULL, error_message = NULL
     WHERE id = ? AND status = 'failed'`,
  ).run(row.transcription_id);
  return true;
}

/** A failed or cancelled task goes back to the queue with a fresh set of retries, keeping its checkpoint. */
export function retryTask(db: Db, id: number, now: number): Task {
  return immediate(db, () => {
    const task = getTask(db, id);
    if (!task) throw new NotFound(`Task ${id}`);
    if (!retryOne(db, task, now))
      throw new InvalidState(`Task ${id} is ${task.status}; only failed or cancelled tasks can be retried`);
    const retried = getTask(db, id);
    if (!retried) throw new NotFound(`Task ${id}`);
    return retried;
  });
}

/** Retry every failed task. Returns how many went back to the queue. */
export function retryAllFailed(db: Db, now: number): number {
  return immediate(db, () => {
    const ids = stmt<[], { id: number }>(
      db,
      `SELECT id FROM background_tasks WHERE status = 'failed' ORDER BY id`,
    )
      .all()
      .map((row) => row.id);
    let retried = 0;
    for (const id of ids) {
      const task = getTask(db, id);
      if (task && retryOne(db, task, now)) retried++;
    }
    return retried;
  });
}
