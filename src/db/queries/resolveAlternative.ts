import { InvalidState, NotFound } from '../../core/errors.js';
import type { AlternativeChoice } from '../../core/store.js';
import type { Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';
import { getTranscription } from './transcriptions.js';

/**
 * The user's answer to the transcript a re-transcription kept beside their edit: `use` puts it
 * in place of the edit (the note is no longer edited, Hark's sidecar is written again, search
 * reindexes); `dismiss` lets it go. Either way the alternative is gone. InvalidState without one.
 */
export function resolveAlternative(db: Db, id: string, choice: AlternativeChoice): Transcription {
  const before = getTranscription(db, id);
  if (!before) throw new NotFound(`Transcription ${id}`);
  if (before.alternativeText === null)
    throw new InvalidState(`Transcription ${id} has no other transcript to ${choice}`);
  const use = choice === 'use' ? 1 : 0;
  stmt(
    db,
    `UPDATE transcriptions SET
       transcription_text = CASE WHEN @use THEN alternative_text ELSE transcription_text END,
       segments = CASE WHEN @use THEN coalesce(alternative_segments, segments) ELSE segments END,
       edited = CASE WHEN @use THEN 0 ELSE edited END,
       edited_at = CASE WHEN @use THEN NULL ELSE edited_at END,
       sidecar_state = CASE WHEN @use AND sidecar_state IN ('pending', 'written') AND trashed_at IS NULL
                            THEN 'pending' ELSE sidecar_state END,
       search_stale = CASE WHEN @use THEN 1 ELSE search_stale END,
       alternative_text = NULL, alternative_segments = NULL
     WHERE id = @id`,
  ).run({ id, use });
  const after = getTranscription(db, id);
  if (!after) throw new NotFound(`Transcription ${id}`);
  return after;
}
