import type { TaskAttempt, TaskSpan, TranscribedAudio } from '../../../core/store.js';
import type { Db } from '../../open.js';
import { type DbAttempt, toAttempt } from '../../rows.js';
import { stmt } from '../../statements.js';

const ATTEMPT_COLUMNS = `id, task_id, transcription_id, worker, engine, started_at, ended_at, outcome, error_kind, audio_seconds`;

export function listAttempts(db: Db, taskId: number): TaskAttempt[] {
  const rows = stmt(db, `SELECT ${ATTEMPT_COLUMNS} FROM task_attempts WHERE task_id = ? ORDER BY id`).all(
    taskId,
  ) as DbAttempt[];
  return rows.map(toAttempt);
}

export function attemptsSince(db: Db, since: number): TaskAttempt[] {
  const rows = stmt(
    db,
    `SELECT ${ATTEMPT_COLUMNS} FROM task_attempts WHERE started_at >= ? ORDER BY started_at, id`,
  ).all(since) as DbAttempt[];
  return rows.map(toAttempt);
}

export function transcribedSince(db: Db, since: number): TranscribedAudio[] {
  return stmt(
    db,
    `SELECT transcribed_at AS transcribedAt, duration, engine FROM transcriptions
     WHERE transcribed_at >= ? AND status = 'complete' AND duration IS NOT NULL ORDER BY transcribed_at`,
  ).all(since) as TranscribedAudio[];
}

export function totalAudioSeconds(db: Db): number {
  const row = stmt(
    db,
    `SELECT COALESCE(SUM(duration), 0) AS total FROM transcriptions WHERE status = 'complete'`,
  ).get() as { total: number };
  return row.total;
}

export function taskSpansSince(db: Db, since: number): TaskSpan[] {
  return stmt(
    db,
    `SELECT created_at AS createdAt, completed_at AS completedAt FROM background_tasks
     WHERE created_at >= @since OR completed_at IS NULL OR completed_at >= @since`,
  ).all({ since }) as TaskSpan[];
}
