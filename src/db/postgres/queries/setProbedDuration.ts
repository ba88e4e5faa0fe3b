import type { Queryable } from '../pool.js';

/** Records a probed audio length for a note whose length is not known yet (SQLite's setProbedDuration). */
export async function setProbedDuration(
  q: Queryable,
  transcriptionId: string,
  seconds: number,
): Promise<boolean> {
  const result = await q.query('UPDATE transcriptions SET duration = $2 WHERE id = $1 AND duration IS NULL', [
    transcriptionId,
    seconds,
  ]);
  return (result.rowCount ?? 0) > 0;
}
