import type { Queryable } from '../pool.js';

/** Every pending task becomes cancelled (a running one is left to finish). Returns how many. */
export async function cancelPending(q: Queryable, now: number): Promise<number> {
  const result = await q.query(
    `UPDATE background_tasks SET status = 'cancelled', completed_at = $1 WHERE status = 'pending'`,
    [now],
  );
  return result.rowCount ?? 0;
}
