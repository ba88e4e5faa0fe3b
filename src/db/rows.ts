import { titleFor } from '../core/notes.js';
import type { AttemptOutcome, TaskAttempt, TranscriptionPage } from '../core/store.js';
import { taskLanguageOf } from '../core/taskOptions.js';
import type {
  Origin,
  Priority,
  Segment,
  Source,
  Task,
  TaskStatus,
  TaskType,
  Transcription,
  TranscriptionStatus,
} from '../core/types.js';

/** A task row joined with its transcription, exactly as SQLite returns it. */
export interface DbTask {
  id: number;
  transcription_id: string;
  task_type: TaskType;
  priority: number;
  status: TaskStatus;
  progress: number;
  attempts: number;
  max_retries: number;
  preempted_count: number;
  error_kind: string | null;
  error_message: string | null;
  created_at: number;
  available_at: number;
  started_at: number | null;
  completed_at: number | null;
  locked_by: string | null;
  checkpoint_seconds: number;
  order_key: number;
  audio_path: string;
  original_name: string | null;
  duration: number | null;
  /** JSON: the audio path it was queued for and the per-task language choice (core/taskOptions.ts). */
  payload?: string | null;
}

/**
 * The columns every task read selects, with the transcription fields a task
 * shows. `index` pins the plan where SQLite, without statistics, would pick
 * a worse index and sort (see queryPlans.test.ts).
 */
export const taskSelect = (index?: string) => `
  SELECT bt.id, bt.transcription_id, bt.task_type, bt.priority, bt.status, bt.progress, bt.attempts,
         bt.max_retries, bt.preempted_count, bt.error_kind, bt.error_message, bt.created_at, bt.available_at,
         bt.started_at, bt.completed_at, bt.locked_by, bt.checkpoint_seconds, bt.order_key, bt.payload,
         t.audio_path, t.original_name, t.duration
  FROM background_tasks bt ${index ? `INDEXED BY ${index}` : ''} JOIN transcriptions t ON t.id = bt.transcription_id`;

export const TASK_SELECT = taskSelect();

export function toTask(row: DbTask): Task {
  return {
    id: row.id,
    transcriptionId: row.transcription_id,
    taskType: row.task_type,
    priority: row.priority as Priority,
    status: row.status,
    progress: row.progress,
    attempts: row.attempts,
    maxRetries: row.max_retries,
    preemptedCount: row.preempted_count,
    errorKind: row.error_kind,
    errorMessage: row.error_message,
    audioPath: row.audio_path,
    originalName: row.original_name,
    createdAt: row.created_at,
    availableAt: row.available_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    checkpointSeconds: row.checkpoint_seconds,
    duration: row.duration,
    lockedBy: row.locked_by,
    language: taskLanguageOf(row.payload),
  };
}

export interface DbTranscription {
  seq: number;
  id: string;
  audio_path: string;
  status: TranscriptionStatus;
  source: Source;
  original_name: string | null;
  transcription_text: string | null;
  segments: string | null;
  language: string | null;
  duration: number | null;
  engine: string | null;
  error_kind: string | null;
  error_message: string | null;
  file_size: number | null;
  file_mtime_ms: number | null;
  sidecar_path: string | null;
  sidecar_state: string | null;
  created_at: number;
  recorded_at: number;
  transcribed_at: number | null;
  title: string | null;
  origin: Origin;
  fingerprint: string | null;
  edited: number;
  edited_at: number | null;
  alternative_text: string | null;
  alternative_segments: string | null;
  audio_missing: number;
  trashed_at: number | null;
  trash_audio_path: string | null;
  trash_sidecar_path: string | null;
}

export function toTranscription(row: DbTranscription): Transcription {
  return {
    id: row.id,
    audioPath: row.audio_path,
    status: row.status,
    source: row.source,
    originalName: row.original_name,
    text: row.transcription_text,
    segments: row.segments ? (JSON.parse(row.segments) as Segment[]) : [],
    language: row.language,
    duration: row.duration,
    engine: row.engine,
    errorKind: row.error_kind,
    errorMessage: row.error_message,
    sidecarPath: row.sidecar_path,
    fileSize: row.file_size,
    fileMtimeMs: row.file_mtime_ms,
    createdAt: row.created_at,
    recordedAt: row.recorded_at,
    transcribedAt: row.transcribed_at,
    // NULL only for a row made before titles, until the store's backfill at open reaches it.
    title: row.title ?? titleFor(row.audio_path, row.original_name),
    origin: row.origin,
    fingerprint: row.fingerprint,
    sidecarState: row.sidecar_state,
    edited: row.edited === 1,
    editedAt: row.edited_at,
    alternativeText: row.alternative_text,
    alternativeSegments: row.alternative_segments
      ? (JSON.parse(row.alternative_segments) as Segment[])
      : null,
    audioMissing: row.audio_missing === 1,
    trashedAt: row.trashed_at,
    trashAudioPath: row.trash_audio_path,
    trashSidecarPath: row.trash_sidecar_path,
  };
}

/**
 * One page of the main list from rows fetched with LIMIT page + 1: the extra
 * row only says there is more, and the cursor is the last kept row's sort key.
 */
export function transcriptionPage(
  rows: readonly DbTranscription[],
  limit: number,
  sortKey: (row: DbTranscription) => number[] = (row) => [row.recorded_at, row.seq],
): TranscriptionPage {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return {
    transcriptions: kept.map(toTranscription),
    nextCursor: more && last ? encodeCursor(sortKey(last)) : null,
  };
}

/** The trash's order: newest trashed first. */
export const trashSortKey = (row: DbTranscription): number[] => [row.trashed_at ?? 0, row.seq];

/** Keyset-pagination cursors are opaque to clients: base64url of the sort key's values. */
export function encodeCursor(values: readonly (number | string)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (number | string)[] | null {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => typeof v === 'number' || typeof v === 'string')
    ) {
      return values as (number | string)[];
    }
  } catch {
    // fall through: a cursor we did not make
  }
  return null;
}

/** A task_attempts row, as both stores read it. */
export interface DbAttempt {
  id: number;
  task_id: number;
  transcription_id: string;
  worker: string;
  engine: string | null;
  started_at: number;
  ended_at: number | null;
  outcome: string | null;
  error_kind: string | null;
  audio_seconds: number | null;
}

export function toAttempt(row: DbAttempt): TaskAttempt {
  return {
    id: row.id,
    taskId: row.task_id,
    transcriptionId: row.transcription_id,
    worker: row.worker,
    engine: row.engine,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: row.outcome as AttemptOutcome | null,
    errorKind: row.error_kind,
    audioSeconds: row.audio_seconds,
  };
}
