import { NotFound } from '../../../core/errors.js';
import type { TranscriptResult } from '../../../core/store.js';
import type { Transcription } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { getTranscription } from './getTranscription.js';
import { writeTranscript } from './writeTranscript.js';

/** The foreground transcription's result: no task involved. */
export async function completeRecording(
  q: Queryable,
  input: TranscriptResult & { id: string },
): Promise<Transcription> {
  await writeTranscript(q, input.id, input);
  const row = await getTranscription(q, input.id);
  if (!row) throw new NotFound(`Transcription ${input.id}`);
  return row;
}
