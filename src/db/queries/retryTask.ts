import { InvalidState, NotFound } from '../../core/errors.js';
import type { Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { getTask } from './getTask.js';

const RETRY_SQL = `
  UPDATE background_tasks
  SET status = 'pending', attempts = 0, available_at = @now, order_key = @now, completed_at = NULL,
      error_kind = NULL, error_message = NULL, locked_by = NULL, locked_at = NULL
  WHERE id = @id AND status IN ('failed', 'cancelled')
    AND NOT EXISTS (SELECT 1 FROM background_tasks live
                    WHERE live.transcription_id = background_tasks.transcription_id
                      AND live.status IN ('pending', 'processing'))
  RETURNING transcription_id`;

function reopenTranscription(db: Db, transcriptionId: string): void {
  stmt(
    db,
    `UPDATE transcriptions SET status = 'pending', error_kind = NULL, error_message = NULL
     WHERE id = ? AND status = 'failed'`,
  ).run(transcriptionId);
}

/** A failed or cancelled task goes back to the queue with a fresh set of retries, keeping its checkpoint. */
export function retryTask(db: Db, id: number, now: number): Task {
  return immediate(db, () => {
    const row = stmt<[unknown], { transcription_id: string }>(db, RETRY_SQL).get({ id, now });
    if (!row) {
      const task = getTask(db, id);
      if (!task) throw new NotFound(`Task ${id}`);
      throw new InvalidState(`Task ${id} is ${task.status}; only failed or cancelled tasks can be retried`);
    }
    reopenTranscription(db, row.transcription_id);
    const task = getTask(db, id);
    if (!task) throw new NotFound(`Task ${id}`);
    return task;
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
      const row = stmt<[unknown], { transcription_id: string }>(db, RETRY_SQL).get({ id, now });
      if (!row) continue;
      reopenTranscription(db, row.transcription_id);
      retried++;
    }
    return retried;
  });
}
