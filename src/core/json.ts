import { failureAdvice } from './failureAdvice.js';
import { folderOf, ORIGIN_LABELS } from './notes.js';
import type { Statistics } from './stats.js';
import type { AttemptOutcome, TaskAttempt } from './store.js';
import { retryCount } from './transitions.js';
import type { QueueStatus, Segment, Task, Transcription } from './types.js';

/** A task as the API, the CLI's --json and the UI see it: the plan's snake_case names. */
export interface TaskJson {
  id: number;
  transcription_id: string;
  task_type: Task['taskType'];
  priority: number;
  status: Task['status'];
  progress: number;
  retry_count: number;
  attempts: number;
  max_retries: number;
  preempted_count: number;
  error_kind: string | null;
  /** The detail of the last failure, as raised (an ffmpeg message, say). */
  error_message: string | null;
  /** The last failure in one plain sentence; null when there was none. */
  error_summary: string | null;
  /** What the user can do about it; null when there was no failure. */
  error_next_step: string | null;
  /** Whether Retry can help: false for a live or completed task and for a permanent failure (offer Remove). */
  retryable: boolean;
  /** When a pending task in backoff after a failure is tried again; null otherwise. */
  next_attempt_at: string | null;
  audio_path: string;
  original_name: string | null;
  /** What to call the task in a list: the original name of an import, else the file name. */
  display_name: string;
  created_at: string;
  available_at: string;
  started_at: string | null;
  completed_at: string | null;
  checkpoint_seconds: number;
  duration: number | null;
  /** Seconds left for the running task, from its measured pace; null when unknown. */
  eta_seconds: number | null;
  /** The node running it (host:pid:start, its locked_by) while it is processing; else null. */
  node: string | null;
  /** The language this task was asked for (an import's choice), over its folder's rule; null: the rule decides. */
  language: string | null;
  /** Translate into English, as asked for this task; null: the rule decides. */
  translate: boolean | null;
}

export interface QueueStatusJson {
  is_paused: boolean;
  pause_reason: string | null;
  paused_at: string | null;
  recording_state: QueueStatus['recordingState'];
  active_task: TaskJson | null;
  /** Every running task, on any node, oldest claim first (active_task is the first). */
  active_tasks: TaskJson[];
  pending_count: number;
  processing_count: number;
  completed_count: number;
  failed_count: number;
  cancelled_count: number;
  /**
   * Seconds until all the queued work is done: the running tasks' estimates plus the pending
   * audio at the measured speed of the engine and model in use; null when it cannot be said.
   */
  eta_total_seconds: number | null;
  tasks: TaskJson[];
  next_cursor: string | null;
}

export interface TranscriptionJson {
  id: string;
  audio_path: string;
  status: Transcription['status'];
  source: Transcription['source'];
  original_name: string | null;
  display_name: string;
  transcription_text: string | null;
  segments: Segment[];
  language: string | null;
  duration: number | null;
  engine: string | null;
  error_kind: string | null;
  error_message: string | null;
  sidecar_path: string | null;
  created_at: string;
  /** When the audio was recorded (epoch ms): from its name and folder, the import's lastModified, or its mtime. */
  recorded_at: number;
  transcribed_at: string | null;
  /** The note's name: its original name or file stem at first, editable. */
  title: string;
  /** Seconds of audio, once known (as `duration`). */
  duration_seconds: number | null;
  /** The audio's folder, relative to the notes folder ('' for the folder itself). */
  folder: string;
  origin: Transcription['origin'];
  /** The origin in plain words: "Recorded in Hark", "Found in your notes folder", "Imported". */
  origin_label: string;
  /** The audio is gone from the notes folder; the transcript is kept. */
  audio_missing: boolean;
  edited: boolean;
  /** Epoch ms of the last edit, or null. */
  edited_at: number | null;
  /** A re-transcription of an edited note, kept beside the edit; null when there is none. */
  alternative_text: string | null;
  alternative_segments: Segment[] | null;
  /** Epoch ms when it went to the trash, or null when it is not there. */
  trashed_at: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function displayName(audioPath: string, originalName: string | null): string {
  return originalName ?? audioPath.slice(audioPath.lastIndexOf('/') + 1);
}

export function taskToJson(task: Task, etaSeconds: number | null = null): TaskJson {
  const advice = task.errorKind === null ? null : failureAdvice(task.errorKind, task.errorMessage);
  const finished = task.status === 'failed' || task.status === 'cancelled';
  return {
    id: task.id,
    transcription_id: task.transcriptionId,
    task_type: task.taskType,
    priority: task.priority,
    status: task.status,
    progress: task.progress,
    retry_count: retryCount(task),
    attempts: task.attempts,
    max_retries: task.maxRetries,
    preempted_count: task.preemptedCount,
    error_kind: task.errorKind,
    error_message: task.errorMessage,
    error_summary: advice?.sentence ?? null,
    error_next_step: advice?.nextStep ?? null,
    retryable: finished && (advice?.retryable ?? true),
    next_attempt_at: task.status === 'pending' && task.errorKind !== null ? iso(task.availableAt) : null,
    audio_path: task.audioPath,
    original_name: task.originalName,
    display_name: displayName(task.audioPath, task.originalName),
    created_at: iso(task.createdAt),
    available_at: iso(task.availableAt),
    started_at: isoOrNull(task.startedAt),
    completed_at: isoOrNull(task.completedAt),
    checkpoint_seconds: task.checkpointSeconds,
    duration: task.duration,
    eta_seconds: etaSeconds,
    node: task.status === 'processing' ? task.lockedBy : null,
    language: task.language?.language ?? null,
    translate: task.language?.translate ?? null,
  };
}

export function queueStatusToJson(
  status: QueueStatus,
  activeEtaSeconds: number | null = null,
): QueueStatusJson {
  return {
    is_paused: status.pause.paused,
    pause_reason: status.pause.reason,
    paused_at: isoOrNull(status.pause.since),
    recording_state: status.recordingState,
    active_task: status.activeTask ? taskToJson(status.activeTask, activeEtaSeconds) : null,
    active_tasks: status.activeTasks.map((task) =>
      taskToJson(task, status.activeTask && task.id === status.activeTask.id ? activeEtaSeconds : null),
    ),
    pending_count: status.counts.pending,
    processing_count: status.counts.processing,
    completed_count: status.counts.completed,
    failed_count: status.counts.failed,
    cancelled_count: status.counts.cancelled,
    eta_total_seconds: null,
    tasks: status.page.tasks.map((task) =>
      taskToJson(task, status.activeTask && task.id === status.activeTask.id ? activeEtaSeconds : null),
    ),
    next_cursor: status.page.nextCursor,
  };
}

export function transcriptionToJson(t: Transcription): TranscriptionJson {
  return {
    id: t.id,
    audio_path: t.audioPath,
    status: t.status,
    source: t.source,
    original_name: t.originalName,
    display_name: displayName(t.audioPath, t.originalName),
    transcription_text: t.text,
    segments: t.segments,
    language: t.language,
    duration: t.duration,
    engine: t.engine,
    error_kind: t.errorKind,
    error_message: t.errorMessage,
    sidecar_path: t.sidecarPath,
    created_at: iso(t.createdAt),
    recorded_at: t.recordedAt,
    transcribed_at: isoOrNull(t.transcribedAt),
    title: t.title,
    duration_seconds: t.duration,
    folder: folderOf(t.audioPath),
    origin: t.origin,
    origin_label: ORIGIN_LABELS[t.origin],
    audio_missing: t.audioMissing,
    edited: t.edited,
    edited_at: t.editedAt,
    alternative_text: t.alternativeText,
    alternative_segments: t.alternativeSegments,
    trashed_at: t.trashedAt,
  };
}

/** `GET /api/transcriptions`. */
export interface TranscriptionPageJson {
  transcriptions: TranscriptionJson[];
  next_cursor: string | null;
}

/** `POST /api/queue/pause` and `/resume`. */
export interface PauseJson {
  is_paused: boolean;
  pause_reason: string | null;
}

/** `POST /api/imports`: the tasks made, and the files refused with why. */
export interface ImportJson {
  tasks: TaskJson[];
  /** `existing_id`: the note a `duplicate_note` already is. */
  rejected: { name: string; error: string; message: string; existing_id?: string }[];
}

/** `GET /api/recordings/state`, `POST /api/recordings/start` and `/cancel`. */
export interface RecordingStateJson {
  recording_state: QueueStatus['recordingState'];
}

/** `POST /api/recordings` and `POST /api/transcribe-now`. */
export interface FinishedRecordingJson {
  transcription: TranscriptionJson;
  /** Set when the foreground transcription failed and the file went to the queue instead. */
  queued_task_id: number | null;
  error: string | null;
  audio_path?: string;
}

/** Every error answer: a machine-readable kind and a sentence for people. */
export interface ErrorJson {
  error: string;
  message: string;
}

export interface AttemptJson {
  id: number;
  worker: string;
  engine: string | null;
  started_at: number;
  ended_at: number | null;
  outcome: AttemptOutcome | null;
  error_kind: string | null;
  audio_seconds: number | null;
}

export function attemptToJson(attempt: TaskAttempt): AttemptJson {
  return {
    id: attempt.id,
    worker: attempt.worker,
    engine: attempt.engine,
    started_at: attempt.startedAt,
    ended_at: attempt.endedAt,
    outcome: attempt.outcome,
    error_kind: attempt.errorKind,
    audio_seconds: attempt.audioSeconds,
  };
}

export interface StatsJson {
  from: number;
  to: number;
  total_audio_seconds: number;
  days: {
    day: string;
    audio_seconds: number;
    completed: number;
    failed: number;
    retried: number;
    cancelled: number;
    queue_length: number;
    paused_for_recordings_seconds: number;
  }[];
  /** Per engine AND model per day (model null for an engine with one, such as pocketsphinx). */
  speed: {
    engine: string;
    model: string | null;
    day: string;
    real_time_factor: number;
    audio_seconds: number;
  }[];
  failures_by_kind: { kind: string; count: number }[];
}

export function statsToJson(stats: Statistics): StatsJson {
  return {
    from: stats.from,
    to: stats.to,
    total_audio_seconds: stats.totalAudioSeconds,
    days: stats.days.map((d) => ({
      day: d.day,
      audio_seconds: d.audioSeconds,
      completed: d.completed,
      failed: d.failed,
      retried: d.retried,
      cancelled: d.cancelled,
      queue_length: d.queueLength,
      paused_for_recordings_seconds: d.pausedForRecordingsSeconds,
    })),
    speed: stats.speed.map((s) => ({
      engine: s.engine,
      model: s.model,
      day: s.day,
      real_time_factor: s.realTimeFactor,
      audio_seconds: s.audioSeconds,
    })),
    failures_by_kind: stats.failuresByKind,
  };
}

/** POST /api/transcriptions/:id/reveal: whether the folder was opened on Hark's machine, and its path to copy. */
export interface RevealJson {
  opened: boolean;
  /** The note's folder, absolute, on the machine Hark runs on. */
  folder: string;
  /** Why it was not opened; null when it was. */
  reason: string | null;
}
