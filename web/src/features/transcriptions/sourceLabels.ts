import type { Source } from '../../api/types';

/** Where a transcription came from, as the cards say it. */
export const SOURCE_LABELS: Record<Source, string> = {
  recording: 'Recording',
  orphan: 'Recovered orphan',
  imported: 'Imported',
};
