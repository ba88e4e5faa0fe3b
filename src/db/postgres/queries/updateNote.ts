import { NotFound } from '../../../core/errors.js';
import type { NotePatch } from '../../../core/notes.js';
import type { Transcription } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTranscription, TRANSCRIPTION_COLUMNS, toTranscription } from '../rows.js';
import { documentWords } from '../searchWords.js';

/**
 * Renames a note or changes its transcript (SQLite's updateNote): a changed text marks it
 * edited and has a sidecar Hark wrote written again; the search words follow in the same write.
 */
export async function updateNote(
  q: Queryable,
  id: string,
  patch: NotePatch,
  now: number,
): Promise<Transcription> {
  const textChanged = patch.text !== undefined || patch.segments !== undefined;
  const { rows } = await q.query<DbTranscription>(
    `UPDATE transcriptions t SET
       title = coalesce($2, title),
       transcription_text = CASE WHEN $5 THEN $3 ELSE transcription_text END,
       text_words = CASE WHEN $5 THEN $7 ELSE text_words END,
       segments = coalesce($4, segments),
       edited = CASE WHEN $5 THEN 1 ELSE edited END,
       edited_at = CASE WHEN $5 THEN $6 ELSE edited_at END,
       sidecar_state = CASE WHEN $5 AND sidecar_state IN ('pending', 'written') AND trashed_at IS NULL
                            THEN 'pending' ELSE sidecar_state END
     WHERE id = $1
     RETURNING ${TRANSCRIPTION_COLUMNS}`,
    [
      id,
      patch.title ?? null,
      patch.text ?? null,
      patch.segments ? JSON.stringify(patch.segments) : null,
      textChanged,
      now,
      documentWords(patch.text ?? ''),
    ],
  );
  const row = rows[0];
  if (!row) throw new NotFound(`Transcription ${id}`);
  if (patch.title !== undefined) {
    // The name's words are the title's, the original name's and the path's, as at insert.
    await q.query('UPDATE transcriptions SET name_words = $2 WHERE id = $1', [
      id,
      documentWords(row.title, row.original_name, row.audio_path),
    ]);
  }
  return toTranscription(row);
}
