import { NotFound } from '../../../core/errors.js';
import { originOf, titleFor } from '../../../core/notes.js';
import type { NewTranscription } from '../../../core/store.js';
import type { Transcription } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { documentWords } from '../searchWords.js';
import { getTranscription } from './getTranscription.js';

/**
 * A transcription about to be made in the foreground (a recording, or a file given to
 * transcribe-now) enters the main list at once; an existing row for the audio is kept as it is.
 */
export async function createTranscription(q: Queryable, input: NewTranscription): Promise<Transcription> {
  const originalName = input.originalName ?? null;
  const title = input.title ?? titleFor(input.audioPath, originalName);
  await q.query(
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, created_at, recorded_at, name_words,
                                 title, origin, fingerprint)
     VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (id) DO NOTHING`,
    [
      input.id,
      input.audioPath,
      input.source,
      originalName,
      input.now,
      input.recordedAt,
      documentWords(title, originalName, input.audioPath),
      title,
      input.origin ?? originOf(input.source, input.audioPath),
      input.fingerprint ?? null,
    ],
  );
  const row = await getTranscription(q, input.id);
  if (!row) throw new NotFound(`Transcription ${input.id}`);
  return row;
}
