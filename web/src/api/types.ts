/**
 * The JSON the Hark API sends: the server's own definitions (src/core/json.ts),
 * imported for their types only, so the two can never drift apart.
 */
export type {
  ErrorJson,
  FinishedRecordingJson,
  ImportJson,
  PauseJson,
  QueueStatusJson,
  RecordingStateJson,
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
