import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * Brings the full-text index up to date with every row marked search_stale,
 * in one transaction. An FTS5 insert writes a new index segment per
 * transaction, so indexing a finished transcript in the task's own commit
 * would cost more than the rest of the commit; batching here makes it one
 * segment for many. Runs before every search, so search never misses a row.
 */
export function syncSearchIndex(db: Db): number {
  return immediate(db, () => {
    const stale = stmt<[], { seq: number; text: string; name: string; listed: number }>(
      db,
      `SELECT seq, coalesce(transcription_text, '') AS text,
              coalesce(title, '') || ' ' || coalesce(original_name, '') || ' ' || audio_path AS name,
              ((source = 'recording' OR status IN ('complete', 'no_speech')) AND trashed_at IS NULL) AS listed
       FROM transcriptions INDEXED BY transcriptions_search_stale WHERE search_stale = 1`,
    ).all();
    const remove = stmt(db, 'DELETE FROM transcriptions_fts WHERE rowid = ?');
    const add = stmt(db, 'INSERT INTO transcriptions_fts (rowid, transcription_text, name) VALUES (?, ?, ?)');
    const done = stmt(db, 'UPDATE transcriptions SET search_stale = 0 WHERE seq = ?');
    for (const row of stale) {
      remove.run(row.seq);
      if (row.listed) add.run(row.seq, row.text, row.name);
      done.run(row.seq);
    }
    return stale.length;
  });
}
