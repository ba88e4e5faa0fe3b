import { titleFor } from '../../../core/notes.js';
import { recordedAtFor } from '../../../core/recordedTime.js';
import type { Queryable } from '../pool.js';
import { documentWords } from '../searchWords.js';

/**
 * Gives rows made before titles (migration 0003) their title and recorded time by core's rule
 * (SQLite's backfillNotes), in one statement. Run inside the transaction that migrated, so a
 * second node starting meanwhile finds it done.
 */
export async function backfillNotes(q: Queryable): Promise<number> {
  const { rows } = await q.query<{
    id: string;
    audio_path: string;
    original_name: string | null;
    recorded_at: number;
  }>('SELECT id, audio_path, original_name, recorded_at FROM transcriptions WHERE title IS NULL FOR UPDATE');
  if (rows.length === 0) return 0;
  const titles = rows.map((row) => titleFor(row.audio_path, row.original_name));
  await q.query(
    `UPDATE transcriptions t SET title = b.title, recorded_at = b.recorded_at, name_words = b.name_words
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS b (id, title, recorded_at, name_words)
     WHERE t.id = b.id`,
    [
      rows.map((row) => row.id),
      titles,
      rows.map((row) => recordedAtFor(row.audio_path, row.recorded_at)),
      rows.map((row, i) => documentWords(titles[i], row.original_name, row.audio_path)),
    ],
  );
  return rows.length;
}
