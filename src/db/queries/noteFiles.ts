import { NotFound } from '../../core/errors.js';
import { type AudioState, FINGERPRINT_MATCHES } from '../../core/store.js';
import type { Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import { type DbTranscription, toTranscription } from '../rows.js';
import { immediate, stmt } from '../statements.js';
import { getTranscription } from './transcriptions.js';

/** Notes not in the trash whose audio has one of these fingerprints (the first few of each). */
export function findByFingerprints(db: Db, fingerprints: readonly string[]): Transcription[] {
  const find = stmt<[string], DbTranscription>(
    db,
    `SELECT * FROM transcriptions WHERE fingerprint = ? AND trashed_at IS NULL ORDER BY seq LIMIT ${FINGERPRINT_MATCHES}`,
  );
  return [...new Set(fingerprints)].flatMap((fingerprint) => find.all(fingerprint).map(toTranscription));
}

export function setContentFingerprint(db: Db, id: string, fingerprint: string): void {
  stmt(db, 'UPDATE transcriptions SET fingerprint = ? WHERE id = ?').run(fingerprint, id);
}

/** The note follows its audio (and Hark's sidecar) to a new path; its audio is there again. */
export function moveNote(db: Db, id: string, audioPath: string, sidecarPath: string | null): Transcription {
  stmt(
    db,
    `UPDATE transcriptions SET audio_path = @audioPath, sidecar_path = coalesce(@sidecarPath, sidecar_path),
                               audio_missing = 0, search_stale = 1
     WHERE id = @id`,
  ).run({ id, audioPath, sidecarPath });
  const row = getTranscription(db, id);
  if (!row) throw new NotFound(`Transcription ${id}`);
  return row;
}

export function setAudioMissing(db: Db, ids: readonly string[], missing: boolean): number {
  return immediate(db, () => {
    const mark = stmt(db, 'UPDATE transcriptions SET audio_missing = ? WHERE id = ? AND audio_missing <> ?');
    let changed = 0;
    for (const id of ids) changed += mark.run(missing ? 1 : 0, id, missing ? 1 : 0).changes;
    return changed;
  });
}

export function audioStates(db: Db): AudioState[] {
  return stmt<[], { id: string; audio_path: string; audio_missing: number }>(
    db,
    'SELECT id, audio_path, audio_missing FROM transcriptions WHERE trashed_at IS NULL',
  )
    .all()
    .map((row) => ({ id: row.id, audioPath: row.audio_path, audioMissing: row.audio_missing === 1 }));
}
