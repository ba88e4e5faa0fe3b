import { InvalidState, NotFound } from '../../../core/errors.js';
import type { TrashedFiles } from '../../../core/store.js';
import type { Transcription } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTranscription, TRANSCRIPTION_COLUMNS, toTranscription } from '../rows.js';

async function locked(q: Queryable, id: string): Promise<DbTranscription> {
  const { rows } = await q.query<DbTranscription>(
    `SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions t WHERE t.id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw new NotFound(`Transcription ${id}`);
  return rows[0];
}

/** The note goes to the trash with where its files went; a pending task is cancelled. In a transaction. */
export async function trashNote(
  q: Queryable,
  id: string,
  files: TrashedFiles,
  now: number,
): Promise<Transcription> {
  if ((await locked(q, id)).trashed_at !== null)
    throw new InvalidState(`Transcription ${id} is already in the trash`);
  const live = await q.query<{ status: string }>(
    `SELECT status FROM background_tasks WHERE transcription_id = $1 AND status IN ('pending', 'processing') FOR UPDATE`,
    [id],
  );
  if (live.rows[0]?.status === 'processing')
    throw new InvalidState('This note is being transcribed right now; cancel its task first');
  await q.query(
    `UPDATE background_tasks SET status = 'cancelled', completed_at = $2
     WHERE transcription_id = $1 AND status = 'pending'`,
    [id, now],
  );
  const { rows } = await q.query<DbTranscription>(
    `UPDATE transcriptions t SET trashed_at = $2, trash_audio_path = $3, trash_sidecar_path = $4
     WHERE id = $1 RETURNING ${TRANSCRIPTION_COLUMNS}`,
    [id, now, files.audioPath, files.sidecarPath],
  );
  return toTranscription(rows[0] as DbTranscription);
}

/** Back from the trash. In a transaction. */
export async function restoreNote(q: Queryable, id: string): Promise<Transcription> {
  if ((await locked(q, id)).trashed_at === null)
    throw new InvalidState(`Transcription ${id} is not in the trash`);
  const { rows } = await q.query<DbTranscription>(
    `UPDATE transcriptions t SET trashed_at = NULL, trash_audio_path = NULL, trash_sidecar_path = NULL, audio_missing = 0
     WHERE id = $1 RETURNING ${TRANSCRIPTION_COLUMNS}`,
    [id],
  );
  return toTranscription(rows[0] as DbTranscription);
}

export async function trashedBefore(q: Queryable, cutoff: number): Promise<Transcription[]> {
  const { rows } = await q.query<DbTranscription>(
    `SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions t WHERE t.trashed_at IS NOT NULL AND t.trashed_at < $1`,
    [cutoff],
  );
  return rows.map(toTranscription);
}
