import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** When the soonest task now in backoff becomes runnable; null if none waits. */
export function nextAvailableAt(db: Db, now: number): number | null {
  const row = stmt<[number], { at: number | null }>(
    db,
    `SELECT min(available_at) AS at FROM background_tasks WHERE status = 'pending' AND available_at > ?`,
  ).get(now);
  return row?.at ?? null;
}
