import type { Queryable } from '../pool.js';

/**
 * Records whether `workerId`'s attempt is inside its engine's child process (hearing a window)
 * right now; recoverAbandoned reads it after a death.
 */
export async function markEngineChild(
  q: Queryable,
  taskId: number,
  workerId: string,
  hearing: boolean,
): Promise<boolean> {
  const result = await q.query(
    `UPDATE background_tasks SET in_engine_child = $3
     WHERE id = $1 AND status = 'processing' AND locked_by = $2`,
    [taskId, workerId, hearing ? 1 : 0],
  );
  return (result.rowCount ?? 0) > 0;
}
