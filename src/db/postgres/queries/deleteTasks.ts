import { InvalidState } from '../../../core/errors.js';
import type { Queryable } from '../pool.js';

/**
 * Removes finished tasks (completed, failed or cancelled) by id, all or none: when any of
 * them is pending or running nothing is removed and the refusal names it. Ids with no task
 * are passed over; transcripts stay. Run in a transaction: the rows are locked first so a
 * concurrent retry cannot slip between the check and the DELETE. Returns how many went.
 */
export async function deleteTasks(q: Queryable, ids: readonly number[]): Promise<number> {
  const { rows } = await q.query<{ id: string; status: string }>(
    `SELECT id, status FROM background_tasks WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  const live = rows.find((row) => row.status === 'pending' || row.status === 'processing');
  if (live)
    throw new InvalidState(
      `Task ${live.id} is ${live.status}; cancel it first, only finished tasks can be removed`,
    );
  const removed = await q.query(
    `DELETE FROM background_tasks WHERE id = ANY($1::bigint[]) AND status IN ('completed', 'failed', 'cancelled')`,
    [ids],
  );
  return removed.rowCount ?? 0;
}
