import type { Db } from '../../open.js';
import { stmt } from '../../statements.js';

export interface StartAttemptInput {
  taskId: number;
  transcriptionId: string;
  worker: string;
  engine: string | null;
  startedAt: number;
}

/** Opens an attempt; an attempt of the same task still open belonged to a dead process: `lost`. */
export function startAttempt(db: Db, input: StartAttemptInput): number {
  return db
    .transaction(() => {
      stmt(
        db,
        `UPDATE task_attempts SET outcome = 'lost', ended_at = @startedAt
       WHERE task_id = @taskId AND ended_at IS NULL`,
      ).run({ taskId: input.taskId, startedAt: input.startedAt });
      const row = stmt(
        db,
        `INSERT INTO task_attempts (task_id, transcription_id, worker, engine, started_at)
       VALUES (@taskId, @transcriptionId, @worker, @engine, @startedAt) RETURNING id`,
      ).get(input) as { id: number };
      return row.id;
    })
    .immediate();
}
