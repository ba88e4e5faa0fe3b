import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/**
 * Records whether `workerId`'s attempt at the task is inside its engine's
 * child process (hearing a window) right now. Recovery reads it after a
 * death: see recoverAbandoned. A single-row write, twice per window.
 */
export function markEngineChild(db: Db, taskId: number, workerId: string, hearing: boolean): boolean {
  return (
    stmt(
      db,
      `UPDATE background_tasks SET in_engine_child = @hearing
       WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId`,
    ).run({ taskId, workerId, hearing: hearing ? 1 : 0 }).changes > 0
  );
}
