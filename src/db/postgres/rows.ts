import { BadRequest } from '../../core/errors.js';
import { decodeCursor } from '../rows.js';

/**
 * PostgreSQL's rows have the same columns as SQLite's (migrations/postgres/0001_init.sql), and
 * the pool parses bigint to number, so SQLite's row types and their mappers to domain types
 * serve both; they are re-exported from here so that this folder has one place to change if
 * the two ever differ.
 */
export {
  type DbTask,
  type DbTranscription,
  encodeCursor,
  toTask,
  toTranscription,
  transcriptionPage,
  trashSortKey,
} from '../rows.js';

/** The columns a task read selects, from `bt` (a task row) joined with `t` (its transcription). */
export const TASK_COLUMNS = `bt.id, bt.transcription_id, bt.task_type, bt.priority, bt.status, bt.progress,
  bt.attempts, bt.max_retries, bt.preempted_count, bt.error_kind, bt.error_message, bt.created_at,
  bt.available_at, bt.started_at, bt.completed_at, bt.locked_by, bt.checkpoint_seconds, bt.order_key,
  bt.payload, t.audio_path, t.original_name, t.duration`;

export const TASK_SELECT = `SELECT ${TASK_COLUMNS}
  FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id`;

/** A transcription's columns, without the search words and vector (never read back). */
export const TRANSCRIPTION_COLUMNS = `t.seq, t.id, t.audio_path, t.status, t.source, t.original_name,
  t.transcription_text, t.segments, t.language, t.duration, t.engine, t.error_kind, t.error_message,
  t.file_size, t.file_mtime_ms, t.sidecar_path, t.sidecar_state, t.created_at, t.recorded_at, t.transcribed_at,
  t.title, t.origin, t.fingerprint, t.edited, t.edited_at, t.alternative_text, t.alternative_segments,
  t.audio_missing, t.trashed_at, t.trash_audio_path, t.trash_sidecar_path`;

/**
 * A keyset cursor of `length` numbers. PostgreSQL types the parameters it is compared with, so
 * a string in a forged cursor would be a server error; here it is the client's Bad Request.
 */
export function numericCursor(cursor: string | null | undefined, fallback: number[]): number[] {
  if (!cursor) return fallback;
  const values = decodeCursor(cursor, fallback.length);
  if (!values?.every((value): value is number => typeof value === 'number' && Number.isFinite(value)))
    throw new BadRequest('Invalid cursor');
  return values;
}
