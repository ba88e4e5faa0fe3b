import type { Checkpoint } from '../../../core/store.js';
import type { Segment } from '../../../core/types.js';
import type { Queryable } from '../pool.js';

export async function loadCheckpoint(q: Queryable, taskId: number): Promise<Checkpoint> {
  const { rows } = await q.query<{ end_sec: number; segments: string }>(
    'SELECT end_sec, segments FROM task_chunks WHERE task_id = $1 ORDER BY chunk_index',
    [taskId],
  );
  const segments: Segment[] = [];
  for (const row of rows) segments.push(...(JSON.parse(row.segments) as Segment[]));
  return { seconds: rows.at(-1)?.end_sec ?? 0, chunkCount: rows.length, segments };
}
