import type { Queryable } from '../pool.js';

/** Its tasks and their chunks go with it (ON DELETE CASCADE), and so does its search vector. */
export async function deleteTranscription(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM transcriptions WHERE id = $1', [id]);
}
