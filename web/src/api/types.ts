/**
 * The JSON the Hark API sends: the server's own definitions (src/core/json.ts),
 * imported for their types only, so the two can never drift apart.
 */
import type { TranscriptionJson } from '../../../src/core/json';

export type {
  ErrorJson,
  FinishedRecordingJson,
  ImportJson,
  PauseJson,
  QueueStatusJson,
  RecordingStateJson,
  RevealJson,
  TaskJson,
  TranscriptionJson,
  TranscriptionPageJson,
} from '../../../src/core/json';
export type {
  RecordingState,
  Segment,
  Source,
  TaskStatus,
  TaskType,
  TranscriptionStatus,
} from '../../../src/core/types';
export { Priority } from '../../../src/core/types';

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * A transcription as the notebook reads it: the fields the Notes contract
 * adds (issue 11) typed as the contract says, whether or not the server's
 * own JSON type has them yet.
 */
export type NoteJson = Omit<TranscriptionJson, keyof NoteFields> & NoteFields;

interface NoteFields {
  title?: string | null;
  /** Epoch ms by the contract; an ISO string from older servers. */
  recorded_at: number | string;
  duration_seconds?: number | null;
  folder?: string | null;
  origin?: 'recorded' | 'found' | 'imported' | null;
  audio_missing?: boolean | null;
  edited?: boolean | null;
  edited_at?: number | string | null;
  trashed_at?: number | string | null;
}
