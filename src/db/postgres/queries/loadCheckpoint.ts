import type { Checkpoint } from '../../../core/store.js';
import { type ChunkRow, checkpointOf } from '../../chunkRow.js';
import type { Queryable } from '../pool.js';

export async function loadCheckpoint(q: Queryable, taskId: number): Promise<Checkpoint> {
  const { rows } = await q.query<ChunkRow>(
    'SELECT end_sec, segments FROM task_chunks WHERE task_id = $1 ORDER BY chunk_index',
    [taskId],
  );
  return checkpointOf(rows);
}
