import type { Transcription } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTranscription, TRANSCRIPTION_COLUMNS, toTranscription } from '../rows.js';

export async function getTranscription(q: Queryable, id: string): Promise<Transcription | null> {
  const { rows } = await q.query<DbTranscription>(
    `SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions t WHERE t.id = $1`,
    [id],
  );
  return rows[0] ? toTranscription(rows[0]) : null;
}
