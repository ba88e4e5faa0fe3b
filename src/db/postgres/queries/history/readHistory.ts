import type { TaskAttempt, TaskSpan, TranscribedAudio } from '../../../../core/store.js';
import { type DbAttempt, toAttempt } from '../../../rows.js';
import type { Queryable } from '../../pool.js';

const ATTEMPT_COLUMNS = `id, task_id, transcription_id, worker, engine, started_at, ended_at, outcome, error_kind, audio_seconds`;

export async function listAttempts(q: Queryable, taskId: number): Promise<TaskAttempt[]> {
  const { rows } = await q.query<DbAttempt>(
    `SELECT ${ATTEMPT_COLUMNS} FROM task_attempts WHERE task_id = $1 ORDER BY id`,
    [taskId],
  );
  return rows.map(toAttempt);
}

export async function attemptsSince(q: Queryable, since: number): Promise<TaskAttempt[]> {
  const { rows } = await q.query<DbAttempt>(
    `SELECT ${ATTEMPT_COLUMNS} FROM task_attempts WHERE started_at >= $1 ORDER BY started_at, id`,
    [since],
  );
  return rows.map(toAttempt);
}

export async function transcribedSince(q: Queryable, since: number): Promise<TranscribedAudio[]> {
  const { rows } = await q.query<TranscribedAudio>(
    `SELECT transcribed_at AS "transcribedAt", duration, engine FROM transcriptions
     WHERE transcribed_at >= $1 AND status = 'complete' AND duration IS NOT NULL ORDER BY transcribed_at`,
    [since],
  );
  return rows;
}

export async function totalAudioSeconds(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ total: number }>(
    `SELECT COALESCE(SUM(duration), 0)::double precision AS total FROM transcriptions WHERE status = 'complete'`,
  );
  return rows[0]?.total ?? 0;
}

export async function taskSpansSince(q: Queryable, since: number): Promise<TaskSpan[]> {
  const { rows } = await q.query<TaskSpan>(
    `SELECT created_at AS "createdAt", completed_at AS "completedAt" FROM background_tasks
     WHERE created_at >= $1 OR completed_at IS NULL OR completed_at >= $1`,
    [since],
  );
  return rows;
}
