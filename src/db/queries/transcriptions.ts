import { BadRequest } from '../../core/errors.js';
import type { TranscriptionFilter, TranscriptionPage } from '../../core/store.js';
import type { Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import {
  type DbTranscription,
  decodeCursor,
  toTranscription,
  transcriptionPage,
  trashSortKey,
} from '../rows.js';
import { stmt } from '../statements.js';
import { syncSearchIndex } from './searchIndex.js';

export function getTranscription(db: Db, id: string): Transcription | null {
  const row = stmt<[string], DbTranscription>(db, 'SELECT * FROM transcriptions WHERE id = ?').get(id);
  return row ? toTranscription(row) : null;
}

/** `"quick"* "brown"*`: every word must match, as a prefix; FTS syntax in the input is neutralised. */
export function ftsQuery(q: string): string | null {
  const words = q
    .normalize('NFC')
    .split(/[^\p{L}\p{N}']+/u)
    .map((word) => word.replace(/'/g, ''))
    .filter((word) => word.length > 0)
    .slice(0, 16);
  return words.length === 0 ? null : words.map((word) => `"${word}"*`).join(' ');
}

const MAIN_LIST = `(t.source = 'recording' OR t.status IN ('complete', 'no_speech')) AND t.trashed_at IS NULL`;

/** The main list: the user's recordings and finished transcriptions, newest first, optionally searched. */
export function listTranscriptions(db: Db, filter: TranscriptionFilter): TranscriptionPage {
  const cursor = filter.cursor
    ? decodeCursor(filter.cursor, 2)
    : [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  if (!cursor) throw new BadRequest('Invalid cursor');
  if (filter.trashed) return listTrash(db, cursor, filter.limit);
  const [recordedAt, seq] = cursor;
  const match = filter.q ? ftsQuery(filter.q) : null;
  if (match !== null) syncSearchIndex(db);
  const params = { recordedAt, seq, limit: filter.limit + 1, match };
  const rows =
    match === null
      ? stmt<[unknown], DbTranscription>(
          db,
          `SELECT t.* FROM transcriptions t
           WHERE ${MAIN_LIST} AND (t.recorded_at, t.seq) < (@recordedAt, @seq)
           ORDER BY t.recorded_at DESC, t.seq DESC LIMIT @limit`,
        ).all(params)
      : stmt<[unknown], DbTranscription>(
          db,
          `SELECT t.* FROM transcriptions t
           WHERE t.seq IN (SELECT rowid FROM transcriptions_fts WHERE transcriptions_fts MATCH @match)
             AND ${MAIN_LIST} AND (t.recorded_at, t.seq) < (@recordedAt, @seq)
           ORDER BY t.recorded_at DESC, t.seq DESC LIMIT @limit`,
        ).all(params);
  return transcriptionPage(rows, filter.limit);
}

/** The trash, newest trashed first (by its own index). */
function listTrash(db: Db, cursor: (number | string)[], limit: number): TranscriptionPage {
  const [trashedAt, seq] = cursor;
  const rows = stmt<[unknown], DbTranscription>(
    db,
    `SELECT t.* FROM transcriptions t INDEXED BY transcriptions_trash
     WHERE t.trashed_at IS NOT NULL AND (t.trashed_at, t.seq) < (@trashedAt, @seq)
     ORDER BY t.trashed_at DESC, t.seq DESC LIMIT @limit`,
  ).all({ trashedAt, seq, limit: limit + 1 });
  return transcriptionPage(rows, limit, trashSortKey);
}

export function deleteTranscription(db: Db, id: string): void {
  stmt(db, 'DELETE FROM transcriptions WHERE id = ?').run(id);
}

export function setFileFingerprint(db: Db, id: string, fileSize: number, fileMtimeMs: number): void {
  stmt(db, 'UPDATE transcriptions SET file_size = ?, file_mtime_ms = ? WHERE id = ?').run(
    fileSize,
    fileMtimeMs,
    id,
  );
}
