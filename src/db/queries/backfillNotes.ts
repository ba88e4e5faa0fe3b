import { titleFor } from '../../core/notes.js';
import { recordedAtFor } from '../../core/recordedTime.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * Gives rows made before titles (migration 0004) their title, and their recorded time by
 * core's rule: from the name and folder, else what the row had (the file's mtime). Runs as the
 * store opens; a NULL title marks the rows still to do, so it is done once, in one transaction.
 */
export function backfillNotes(db: Db): number {
  return immediate(db, () => {
    const rows = stmt<
      [],
      { seq: number; audio_path: string; original_name: string | null; recorded_at: number }
    >(
      db,
      'SELECT seq, audio_path, original_name, recorded_at FROM transcriptions INDEXED BY transcriptions_untitled WHERE title IS NULL',
    ).all();
    const update = stmt(
      db,
      'UPDATE transcriptions SET title = ?, recorded_at = ?, search_stale = 1 WHERE seq = ?',
    );
    for (const row of rows) {
      update.run(
        titleFor(row.audio_path, row.original_name),
        recordedAtFor(row.audio_path, row.recorded_at),
        row.seq,
      );
    }
    return rows.length;
  });
}
