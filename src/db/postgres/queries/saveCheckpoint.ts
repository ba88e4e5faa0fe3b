import type { ChunkResult } from '../../../core/engine.js';
import { chunkJson } from '../../chunkRow.js';
import type { Queryable } from '../pool.js';

/**
 * Commits one finished chunk and moves the task's checkpoint to its end, while `workerId` still
 * holds the task and the chunk is the next one, in one statement (so no transaction is needed):
 * the chunk row is written only if the task row moved.
 */
export async function saveCheckpoint(
  q: Queryable,
  taskId: number,
  workerId: string,
  chunk: ChunkResult,
  progress: number,
  now: number,
): Promise<boolean> {
  const result = await q.query(
    `WITH moved AS (
       UPDATE background_tasks
       SET checkpoint_seconds = $4, checkpoint_chunks = $5 + 1, progress = $6, locked_at = $7,
           lease_expires_at = $7 + lease_ms
       WHERE id = $1 AND status = 'processing' AND locked_by = $2 AND checkpoint_chunks = $5
       RETURNING id
     )
     INSERT INTO task_chunks (task_id, chunk_index, start_sec, end_sec, segments)
     SELECT id, $5, $3, $4, $8 FROM moved`,
    [taskId, workerId, chunk.start, chunk.end, chunk.index, progress, now, chunkJson(chunk)],
  );
  return (result.rowCount ?? 0) > 0;
}
