import type { TranscriptionFilter, TranscriptionPage } from '../../../core/store.js';
import type { Queryable } from '../pool.js';
import {
  type DbTranscription,
  numericCursor,
  TRANSCRIPTION_COLUMNS,
  transcriptionPage,
  trashSortKey,
} from '../rows.js';
import { searchQuery } from '../searchWords.js';

const MAIN_LIST = `(t.source = 'recording' OR t.status IN ('complete', 'no_speech')) AND t.trashed_at IS NULL`;

/**
 * The main list: the user's recordings and finished transcriptions, newest first, optionally
 * searched (every word as a prefix, through the GIN index on search_vector). Unlike SQLite's
 * batched FTS index, the vector is written with the row, so there is nothing to catch up first.
 */
export async function listTranscriptions(
  q: Queryable,
  filter: TranscriptionFilter,
): Promise<TranscriptionPage> {
  const [recordedAt, seq] = numericCursor(filter.cursor, [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);
  if (filter.trashed) {
    const { rows } = await q.query<DbTranscription>(
      `SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions t
       WHERE t.trashed_at IS NOT NULL AND (t.trashed_at, t.seq) < ($1, $2)
       ORDER BY t.trashed_at DESC, t.seq DESC LIMIT $3`,
      [recordedAt, seq, filter.limit + 1],
    );
    return transcriptionPage(rows, filter.limit, trashSortKey);
  }
  const match = filter.q ? searchQuery(filter.q) : null;
  const { rows } = await q.query<DbTranscription>(
    `SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions t
     WHERE ${MAIN_LIST} AND (t.recorded_at, t.seq) < ($1, $2)
       AND ($3::tsquery IS NULL OR t.search_vector @@ $3::tsquery)
     ORDER BY t.recorded_at DESC, t.seq DESC LIMIT $4`,
    [recordedAt, seq, match, filter.limit + 1],
  );
  return transcriptionPage(rows, filter.limit);
}
