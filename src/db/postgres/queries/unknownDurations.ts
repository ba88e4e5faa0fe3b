import type { Queryable } from '../pool.js';

/** The next pending tasks (in claim order) whose audio length is not known yet (SQLite's unknownDurations). */
export async function unknownDurations(
  q: Queryable,
  limit: number,
): Promise<{ transcriptionId: string; audioPath: string }[]> {
  const { rows } = await q.query<{ transcription_id: string; audio_path: string }>(
    `SELECT t.id AS transcription_id, t.audio_path
     FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id
     WHERE bt.status = 'pending' AND t.duration IS NULL
     ORDER BY bt.priority DESC, bt.order_key, bt.id
     LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ transcriptionId: row.transcription_id, audioPath: row.audio_path }));
}
