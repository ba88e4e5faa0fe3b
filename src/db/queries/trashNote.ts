import { InvalidState, NotFound } from '../../core/errors.js';
import type { TrashedFiles } from '../../core/store.js';
import type { Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';
import { getTranscription } from './transcriptions.js';

function existing(db: Db, id: string): Transcription {
  const row = getTranscription(db, id);
  if (!row) throw new NotFound(`Transcription ${id}`);
  return row;
}

/** The note goes to the trash with where its files went; a pending task for it is cancelled. */
export function trashNote(db: Db, id: string, files: TrashedFiles, now: number): Transcription {
  return immediate(db, () => {
    if (existing(db, id).trashedAt !== null)
      throw new InvalidState(`Transcription ${id} is already in the trash`);
    const live = stmt<[string], { status: string }>(
      db,
      `SELECT status FROM background_tasks WHERE transcription_id = ? AND status IN ('pending', 'processing')`,
    ).get(id);
    if (live?.status === 'processing')
      throw new InvalidState('This note is being transcribed right now; cancel its task first');
    stmt(
      db,
      `UPDATE background_tasks SET status = 'cancelled', completed_at = @now
       WHERE transcription_id = @id AND status = 'pending'`,
    ).run({ id, now });
    stmt(
      db,
      `UPDATE transcriptions SET trashed_at = @now, trash_audio_path = @audio, trash_sidecar_path = @sidecar,
                                 search_stale = 1
       WHERE id = @id`,
    ).run({ id, now, audio: files.audioPath, sidecar: files.sidecarPath });
    return existing(db, id);
  });
}

/** Back from the trash: its files are back at audio_path (and sidecar_path). */
export function restoreNote(db: Db, id: string): Transcription {
  return immediate(db, () => {
    if (existing(db, id).trashedAt === null)
      throw new InvalidState(`Transcription ${id} is not in the trash`);
    stmt(
      db,
      `UPDATE transcriptions SET trashed_at = NULL, trash_audio_path = NULL, trash_sidecar_path = NULL,
                                 audio_missing = 0, search_stale = 1
       WHERE id = ?`,
    ).run(id);
    return existing(db, id);
  });
}

/** Notes trashed before `cutoff`. */
export function trashedBefore(db: Db, cutoff: number): Transcription[] {
  return stmt<[number], { id: string }>(
    db,
    'SELECT id FROM transcriptions INDEXED BY transcriptions_trash WHERE trashed_at IS NOT NULL AND trashed_at < ?',
  )
    .all(cutoff)
    .map((row) => existing(db, row.id));
}
