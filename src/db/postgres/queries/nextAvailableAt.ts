import type { Queryable } from '../pool.js';

/** When the soonest task now in backoff becomes runnable; null if none waits. */
export async function nextAvailableAt(q: Queryable, now: number): Promise<number | null> {
  const { rows } = await q.query<{ at: number | null }>(
    `SELECT min(available_at) AS at FROM background_tasks WHERE status = 'pending' AND available_at > $1`,
    [now],
  );
  return rows[0]?.at ?? null;
}
