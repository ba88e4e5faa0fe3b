import type { Queryable } from '../pool.js';

/** Records progress, and renews the lease, while `workerId` still holds the task. */
export async function saveProgress(
  q: Queryable,
  taskId: number,
  workerId: string,
  progress: number,
  now: number,
): Promise<boolean> {
  const result = await q.query(
    `UPDATE background_tasks SET progress = $3, locked_at = $4, lease_expires_at = $4 + lease_ms
     WHERE id = $1 AND status = 'processing' AND locked_by = $2`,
    [taskId, workerId, Math.min(1, Math.max(0, progress)), now],
  );
  return (result.rowCount ?? 0) > 0;
}
