import type { Queryable } from '../../pool.js';

/** Opens an attempt; an attempt of the same task still open belonged to a dead process: `lost`. Run in a transaction. */
export async function startAttempt(
  q: Queryable,
  input: {
    taskId: number;
    transcriptionId: string;
    worker: string;
    engine: string | null;
    startedAt: number;
  },
): Promise<number> {
  await q.query(
    `UPDATE task_attempts SET outcome = 'lost', ended_at = $2 WHERE task_id = $1 AND ended_at IS NULL`,
    [input.taskId, input.startedAt],
  );
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO task_attempts (task_id, transcription_id, worker, engine, started_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.taskId, input.transcriptionId, input.worker, input.engine, input.startedAt],
  );
  const row = rows[0];
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return row.id;
}
