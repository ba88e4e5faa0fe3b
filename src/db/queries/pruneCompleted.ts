import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Retention: removes completed tasks that finished before `before` (epoch ms). Their transcriptions stay. */
export function pruneCompleted(db: Db, before: number): number {
  return stmt(db, `DELETE FROM background_tasks WHERE status = 'completed' AND completed_at < @before`).run({
    before,
  }).changes;
}
