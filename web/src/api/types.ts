/**
 * The JSON the Hark API sends, mirrored from src/core/json.ts (the web build
 * is separate from the server's, so the types are copied, not imported).
 */

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type TaskType = 'transcribe_orphan' | 'transcribe_imported';
export type Source = 'recording' | 'orphan' | 'imported';
export type TranscriptionStatus = 'pending' | 'complete' | 'no_speech' | 'failed';
export type RecordingState = 'Idle' | 'Recording' | 'Processing';

/** The plan's TaskPriority: Low for scanned orphans, Normal for imports, High for recovered recordings. */
export const Priority = { Low: 0, Normal: 1, High: 2 } as const;

export interface Segment {
  /** Seconds from the start of the file. */
  start: number;
  end: number;
  text: string;
}

export interface TaskJson {
  id: number;
  transcription_id: string;
  task_type: TaskType;
  priority: number;
  status: TaskStatus;
  /** 0..1 */
  progress: number;
  retry_count: number;
  attempts: number;
  max_retries: number;
  preempted_count: number;
  error_kind: string | null;
  error_message: string | null;
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
}

export interface QueueStatusJson {
  is_paused: boolean;
  /** 'user', or a system reason such as 'no transcription engine'. */
  pause_reason: string | null;
  paused_at: string | null;
  recording_state: RecordingState;
  active_task: TaskJson | null;
  pending_count: number;
  processing_count: number;
  completed_count: number;
  failed_count: number;
  cancelled_count: number;
  /** One page of tasks (in the event stream: the first 50 pending, in run order). */
  tasks: TaskJson[];
  next_cursor: string | null;
}

export interface TranscriptionJson {
  id: string;
  audio_path: string;
  status: TranscriptionStatus;
  source: Source;
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
  recorded_at: string;
  transcribed_at: string | null;
}

export interface TranscriptionPageJson {
  transcriptions: TranscriptionJson[];
  next_cursor: string | null;
}

export interface PauseJson {
  is_paused: boolean;
  pause_reason: string | null;
}

export interface ImportJson {
  tasks: TaskJson[];
}

export interface RecordingStateJson {
  recording_state: RecordingState;
}

export interface FinishedRecordingJson {
  transcription: TranscriptionJson;
  /** Set when the foreground transcription failed and the recording went to the queue instead. */
  queued_task_id: number | null;
  error: string | null;
}

export interface ErrorJson {
  error: string;
  message: string;
}

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
