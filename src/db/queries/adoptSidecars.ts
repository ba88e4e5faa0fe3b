import { noteIdentity } from '../../core/notes.js';
import type { AdoptedSidecar } from '../../core/types.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Records a transcript found beside its audio as that audio's complete transcription. Returns true if new. */
export function adoptSidecar(db: Db, sidecar: AdoptedSidecar, now: number): boolean {
  const result = stmt(
    db,
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, transcription_text, segments,
                                 sidecar_path, sidecar_state, engine, created_at, recorded_at, transcribed_at,
                                 search_stale, title, origin, fingerprint)
     VALUES (@id, @audioPath, 'complete', @source, @originalName, @text, '[]', @sidecarPath, 'adopted', 'sidecar',
             @now, @recordedAt, @now, 1, @title, @origin, @fingerprint)
     ON CONFLICT DO NOTHING`,
  ).run({
    ...noteIdentity(sidecar, now),
    fingerprint: sidecar.fingerprint ?? null,
    id: sidecar.transcriptionId,
    audioPath: sidecar.audioPath,
    source: sidecar.source,
    originalName: sidecar.originalName,
    text: sidecar.text,
    sidecarPath: sidecar.sidecarPath,
    now,
  });
  return result.changes > 0;
}
