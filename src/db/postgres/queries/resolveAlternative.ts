import { InvalidState, NotFound } from '../../../core/errors.js';
import type { AlternativeChoice } from '../../../core/store.js';
import type { Transcription } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTranscription, TRANSCRIPTION_COLUMNS, toTranscription } from '../rows.js';
import { documentWords } from '../searchWords.js';

/**
 * SQLite's resolveAlternative: `use` puts the kept transcript in place of the edit (no longer
 * edited, Hark's sidecar written again, the search words follow), `dismiss` lets it go.
 */
export async function resolveAlternative(
  q: Queryable,
  id: string,
  choice: AlternativeChoice,
): Promise<Transcription> {
  const found = await q.query<{ alternative_text: string | null }>(
    'SELECT alternative_text FROM transcriptions WHERE id = $1 FOR UPDATE',
    [id],
  );
  const current = found.rows[0];
  if (!current) throw new NotFound(`Transcription ${id}`);
  if (current.alternative_text === null) {
    throw new InvalidState(`Transcription ${id} has no other transcript to ${choice}`);
  }
  const use = choice === 'use';
  const { rows } = await q.query<DbTranscription>(
    `UPDATE transcriptions t SET
       transcription_text = CASE WHEN $2 THEN alternative_text ELSE transcription_text END,
       text_words = CASE WHEN $2 THEN $3 ELSE text_words END,
       segments = CASE WHEN $2 THEN coalesce(alternative_segments, segments) ELSE segments END,
       edited = CASE WHEN $2 THEN 0 ELSE edited END,
       edited_at = CASE WHEN $2 THEN NULL ELSE edited_at END,
       sidecar_state = CASE WHEN $2 AND sidecar_state IN ('pending', 'written') AND trashed_at IS NULL
                            THEN 'pending' ELSE sidecar_state END,
       alternative_text = NULL, alternative_segments = NULL
     WHERE id = $1
     RETURNING ${TRANSCRIPTION_COLUMNS}`,
    [id, use, documentWords(current.alternative_text)],
  );
  const row = rows[0];
  if (!row) throw new NotFound(`Transcription ${id}`);
  return toTranscription(row);
}
