import { noteIdentity } from '../../../core/notes.js';
import type { AdoptedSidecar } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { documentWords } from '../searchWords.js';

/** Records a transcript found beside its audio as that audio's complete transcription. Returns true if new. */
export async function adoptSidecar(q: Queryable, sidecar: AdoptedSidecar, now: number): Promise<boolean> {
  const identity = noteIdentity(sidecar, now);
  const result = await q.query(
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, transcription_text, segments,
                                 sidecar_path, sidecar_state, engine, created_at, recorded_at, transcribed_at,
                                 text_words, name_words, title, origin, fingerprint)
     VALUES ($1, $2, 'complete', $3, $4, $5, '[]', $6, 'adopted', 'sidecar', $7, $10, $7, $8, $9, $11, $12, $13)
     ON CONFLICT DO NOTHING`,
    [
      sidecar.transcriptionId,
      sidecar.audioPath,
      sidecar.source,
      sidecar.originalName,
      sidecar.text,
      sidecar.sidecarPath,
      now,
      documentWords(sidecar.text),
      documentWords(identity.title, sidecar.originalName, sidecar.audioPath),
      identity.recordedAt,
      identity.title,
      identity.origin,
      sidecar.fingerprint ?? null,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}
