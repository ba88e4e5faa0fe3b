import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Records progress, and renews the lease, while `workerId` still holds the task. */
export function saveProgress(
  db: Db,
  taskId: number,
  workerId: string,
  progress: number,
  now: number,
): boolean {
  const result = stmt(
    db,
    `UPDATE background_tasks SET progress = @progress, locked_at = @now, lease_expires_at = @now + lease_ms
     WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId`,
  ).run({ taskId, workerId, progress: Math.min(1, Math.max(0, progress)), now });
  return result.changes > 0;
}
