import { NotFound } from '../../../core/errors.js';
import { type AudioState, FINGERPRINT_MATCHES } from '../../../core/store.js';
import type { Transcription } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTranscription, TRANSCRIPTION_COLUMNS, toTranscription } from '../rows.js';
import { documentWords } from '../searchWords.js';

export async function findByFingerprints(
  q: Queryable,
  fingerprints: readonly string[],
): Promise<Transcription[]> {
  if (fingerprints.length === 0) return [];
  const { rows } = await q.query<DbTranscription>(
    `SELECT ${TRANSCRIPTION_COLUMNS} FROM unnest($1::text[]) AS f (fingerprint)
     CROSS JOIN LATERAL (
       SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions t
       WHERE t.fingerprint = f.fingerprint AND t.trashed_at IS NULL ORDER BY t.seq LIMIT $2
     ) t`,
    [[...new Set(fingerprints)], FINGERPRINT_MATCHES],
  );
  return rows.map(toTranscription);
}

export async function setContentFingerprint(q: Queryable, id: string, fingerprint: string): Promise<void> {
  await q.query('UPDATE transcriptions SET fingerprint = $2 WHERE id = $1', [id, fingerprint]);
}

/** The note follows its audio (and Hark's sidecar) to a new path; its audio is there again. */
export async function moveNote(
  q: Queryable,
  id: string,
  audioPath: string,
  sidecarPath: string | null,
): Promise<Transcription> {
  const { rows } = await q.query<DbTranscription>(
    `UPDATE transcriptions t SET audio_path = $2, sidecar_path = coalesce($3, sidecar_path), audio_missing = 0
     WHERE id = $1 RETURNING ${TRANSCRIPTION_COLUMNS}`,
    [id, audioPath, sidecarPath],
  );
  const row = rows[0];
  if (!row) throw new NotFound(`Transcription ${id}`);
  await q.query('UPDATE transcriptions SET name_words = $2 WHERE id = $1', [
    id,
    documentWords(row.title, row.original_name, row.audio_path),
  ]);
  return toTranscription(row);
}

export async function setAudioMissing(
  q: Queryable,
  ids: readonly string[],
  missing: boolean,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await q.query(
    'UPDATE transcriptions SET audio_missing = $2 WHERE id = ANY($1::text[]) AND audio_missing <> $2',
    [[...ids], missing ? 1 : 0],
  );
  return result.rowCount ?? 0;
}

export async function audioStates(q: Queryable): Promise<AudioState[]> {
  const { rows } = await q.query<{ id: string; audio_path: string; audio_missing: number }>(
    'SELECT id, audio_path, audio_missing FROM transcriptions WHERE trashed_at IS NULL',
  );
  return rows.map((row) => ({
    id: row.id,
    audioPath: row.audio_path,
    audioMissing: row.audio_missing === 1,
  }));
}
