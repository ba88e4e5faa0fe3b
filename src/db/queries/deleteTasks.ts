import { InvalidState } from '../../core/errors.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * Removes finished tasks (completed, failed or cancelled) by id, all or none: when any of
 * them is pending or running nothing is removed and the refusal names it. Ids with no task
 * (removed already, or pruned) are passed over. Transcripts stay. Returns how many went.
 */
export function deleteTasks(db: Db, ids: readonly number[]): number {
  const list = JSON.stringify(ids);
  return immediate(db, () => {
    const live = stmt<[string], { id: number; status: string }>(
      db,
      `SELECT id, status FROM background_tasks
       WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('pending', 'processing')
       ORDER BY id LIMIT 1`,
    ).get(list);
    if (live)
      throw new InvalidState(
        `Task ${live.id} is ${live.status}; cancel it first, only finished tasks can be removed`,
      );
    return stmt<[string]>(
      db,
      `DELETE FROM background_tasks
       WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('completed', 'failed', 'cancelled')`,
    ).run(list).changes;
  });
}
