import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Removes completed (or cancelled) tasks from the queue's lists. Their transcriptions stay. */
export function clearCompleted(db: Db, status: 'completed' | 'cancelled' = 'completed'): number {
  return stmt(db, `DELETE FROM background_tasks WHERE status = @status`).run({ status }).changes;
}
