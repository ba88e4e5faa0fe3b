import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Every pending task becomes cancelled (a running one is left to finish). Returns how many. */
export function cancelPending(db: Db, now: number): number {
  return stmt(
    db,
    `UPDATE background_tasks SET status = 'cancelled', completed_at = @now
     WHERE status = 'pending'`,
  ).run({ now }).changes;
}
