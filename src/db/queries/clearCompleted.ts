import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Removes completed tasks from the queue's lists. Their transcriptions stay. */
export function clearCompleted(db: Db): number {
  return stmt(db, `DELETE FROM background_tasks WHERE status = 'completed'`).run().changes;
}
