import { NotFound } from '../../core/errors.js';
import type { NotePatch } from '../../core/notes.js';
import type { Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';
import { getTranscription } from './transcriptions.js';

/**
 * Renames a note or changes its transcript. A changed text marks the note edited and, where
 * Hark wrote the sidecar (or is about to), has it written again; search reindexes the row.
 */
export function updateNote(db: Db, id: string, patch: NotePatch, now: number): Transcription {
  const textChanged = patch.text !== undefined || patch.segments !== undefined;
  const result = stmt(
    db,
    `UPDATE transcriptions SET
       title = coalesce(@title, title),
       transcription_text = CASE WHEN @textChanged THEN @text ELSE transcription_text END,
       segments = coalesce(@segments, segments),
       edited = CASE WHEN @textChanged THEN 1 ELSE edited END,
       edited_at = CASE WHEN @textChanged THEN @now ELSE edited_at END,
       sidecar_state = CASE WHEN @textChanged AND sidecar_state IN ('pending', 'written') AND trashed_at IS NULL
                            THEN 'pending' ELSE sidecar_state END,
       search_stale = 1
     WHERE id = @id`,
  ).run({
    id,
    title: patch.title ?? null,
    text: patch.text ?? null,
    segments: patch.segments ? JSON.stringify(patch.segments) : null,
    textChanged: textChanged ? 1 : 0,
    now,
  });
  const row = result.changes > 0 ? getTranscription(db, id) : null;
  if (!row) throw new NotFound(`Transcription ${id}`);
  return row;
}
