import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/**
 * When the soonest task now in backoff becomes runnable; null if none waits.
 * Runs only when the worker found nothing to claim, so it may read every
 * pending task rather than keep an index that every claim would have to update.
 */
export function nextAvailableAt(db: Db, now: number): number | null {
  const row = stmt<[number], { at: number | null }>(
    db,
    `SELECT min(available_at) AS at FROM background_tasks INDEXED BY background_tasks_claim_order
     WHERE status = 'pending' AND available_at > ?`,
  ).get(now);
  return row?.at ?? null;
}
