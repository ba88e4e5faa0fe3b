import type { Queryable } from '../pool.js';

/** The audio's length, measured before it is transcribed; a length already known (a transcript's) is kept. */
export async function setAudioDuration(q: Queryable, id: string, seconds: number): Promise<void> {
  await q.query(`UPDATE transcriptions SET duration = $1 WHERE id = $2 AND duration IS NULL`, [seconds, id]);
}
