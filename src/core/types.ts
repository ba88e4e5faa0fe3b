import type { TaskLanguage } from './taskOptions.js';

export type { TaskLanguage };

/**
 * Hark's domain types. These are what the rest of the program speaks; the
 * database rows (src/db/rows.ts) and the JSON the API sends (./json.ts) are
 * converted to and from these at their boundaries.
 */

export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_TYPES = ['transcribe_orphan', 'transcribe_imported', 'transcribe_recording'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** The plan's TaskPriority: Low for scanned orphans, Normal for imports, High for recovered recordings. */
export const Priority = { Low: 0, Normal: 1, High: 2 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export const SOURCES = ['recording', 'orphan', 'imported'] as const;
export type Source = (typeof SOURCES)[number];

/** Where a note came from, in the user's terms (core/notes.ts ORIGIN_LABELS): never guessed from its file name. */
export const ORIGINS = ['recorded', 'found', 'imported'] as const;
export type Origin = (typeof ORIGINS)[number];

/** `no_speech` is a finished outcome, not an error: the audio had nothing to transcribe. */
export const TRANSCRIPTION_STATUSES = ['pending', 'complete', 'no_speech', 'failed'] as const;
export type TranscriptionStatus = (typeof TRANSCRIPTION_STATUSES)[number];

/** A word (or token) with its own times, where the engine gives them. */
export interface Word {
  /** Seconds from the start of the file. */
  start: number;
  end: number;
  text: string;
}

export interface Segment {
  /** Seconds from the start of the file. */
  start: number;
  end: number;
  text: string;
  /** Each word's times, where the engine gives them, so a view can seek by word and subtitles split at words; absent in older stored transcripts. */
  words?: Word[] | undefined;
}

export interface Transcript {
  text: string;
  segments: Segment[];
  language?: string | undefined;
  /** Seconds of audio. */
  duration: number;
}

export interface Task {
  id: number;
  transcriptionId: string;
  taskType: TaskType;
  priority: Priority;
  status: TaskStatus;
  /** 0..1 */
  progress: number;
  /** Attempts started so far, counted when the task is claimed (a refund undoes a pre-empted one). */
  attempts: number;
  maxRetries: number;
  preemptedCount: number;
  errorKind: string | null;
  errorMessage: string | null;
  /** Relative to the notes folder, always with '/' separators. */
  audioPath: string;
  originalName: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  availableAt: number;
  startedAt: number | null;
  completedAt: number | null;
  /** Seconds of audio already committed by checkpoints (0 when none). */
  checkpointSeconds: number;
  /** Seconds of audio in the file, once known. */
  duration: number | null;
  lockedBy: string | null;
  /** The language this task was asked to be heard in (the import dialog's), over its folder's rule; {} for none. */
  language?: TaskLanguage | undefined;
}

export interface Transcription {
  id: string;
  audioPath: string;
  status: TranscriptionStatus;
  source: Source;
  originalName: string | null;
  text: string | null;
  segments: Segment[];
  language: string | null;
  duration: number | null;
  engine: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  sidecarPath: string | null;
  /** Size and mtime of the file when it was queued: a different pair means the file was replaced. */
  fileSize: number | null;
  fileMtimeMs: number | null;
  createdAt: number;
  /** When the audio was recorded, as far as Hark can tell (core/recordedTime.ts): the main list's order. */
  recordedAt: number;
  transcribedAt: number | null;
  /** What the user calls the note: its original name or file stem at first (core/notes.ts titleFor), editable. */
  title: string;
  origin: Origin;
  /** The audio's content fingerprint (files/fingerprint.ts), once known: a moved file is found by it. */
  fingerprint: string | null;
  /** 'pending' | 'written' | 'adopted' | 'kept_existing': Hark owns the sidecar when it wrote it. */
  sidecarState: string | null;
  /** The transcript was changed by hand since the engine wrote it. */
  edited: boolean;
  editedAt: number | null;
  /** A re-transcription of an edited note, kept beside the edit (never over it). */
  alternativeText: string | null;
  alternativeSegments: Segment[] | null;
  /** The audio is gone from the notes folder; the transcript is kept. */
  audioMissing: boolean;
  /** In the trash since then; null when not. */
  trashedAt: number | null;
  /** Where the audio and Hark's sidecar are in the trash (relative to its folder) while trashed. */
  trashAudioPath: string | null;
  trashSidecarPath: string | null;
}

export interface TaskCounts {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export interface PauseState {
  paused: boolean;
  /** Why: 'user', or a system reason such as 'no transcription engine'. */
  reason: string | null;
  since: number | null;
}

export interface TaskPage {
  tasks: Task[];
  /** Pass back to get the next page; null when this is the last one. */
  nextCursor: string | null;
}

export interface QueueStatus {
  pause: PauseState;
  /** The first running task (this process's own when it runs one): the single-worker view. */
  activeTask: Task | null;
  /** Every running task, on any node, oldest claim first. */
  activeTasks: Task[];
  counts: TaskCounts;
  page: TaskPage;
  recordingState: RecordingState;
}

export const RECORDING_STATES = ['Idle', 'Recording', 'Processing'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

/** What the scanner or an import hands the queue: one audio file to transcribe in the background. */
export interface NewAudio {
  transcriptionId: string;
  audioPath: string;
  source: Source;
  originalName: string | null;
  taskType: TaskType;
  priority: Priority;
  fileSize: number | null;
  fileMtimeMs: number | null;
  /** Defaults (core/notes.ts noteIdentity): the title from the name, recorded_at from the path or mtime, origin from source. */
  title?: string | undefined;
  recordedAt?: number | undefined;
  origin?: Origin | undefined;
  fingerprint?: string | null | undefined;
  /** A per-task language choice (an import's), kept with the task. */
  language?: TaskLanguage | undefined;
}

/** A transcript found beside an audio file, adopted as its transcription. */
export interface AdoptedSidecar {
  transcriptionId: string;
  audioPath: string;
  source: Source;
  originalName: string | null;
  sidecarPath: string;
  text: string;
  /** As NewAudio's: defaults from the path. */
  recordedAt?: number | undefined;
  origin?: Origin | undefined;
  fingerprint?: string | null | undefined;
}
