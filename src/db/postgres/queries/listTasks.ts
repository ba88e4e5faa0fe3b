import { BadRequest } from '../../../core/errors.js';
import type { TaskFilter } from '../../../core/store.js';
import { TASK_STATUSES, type TaskPage } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTask, encodeCursor, numericCursor, TASK_SELECT, toTask } from '../rows.js';

/**
 * One page of tasks by keyset pagination, as SQLite's listTasks: pending (and running) tasks
 * in the order they run, finished ones newest first, all tasks (no filter) newest first.
 */
export async function listTasks(q: Queryable, filter: TaskFilter): Promise<TaskPage> {
  const { status, limit } = filter;
  if (status !== undefined && !TASK_STATUSES.includes(status))
    throw new BadRequest(`Unknown status ${status}`);
  if (status === 'pending' || status === 'processing') {
    const [priority, orderKey, id] = numericCursor(filter.cursor, [3, 0, 0]);
    const { rows } = await q.query<DbTask>(
      `${TASK_SELECT}
       WHERE bt.status = $1
         AND (bt.priority < $2 OR (bt.priority = $2 AND (bt.order_key, bt.id) > ($3, $4)))
       ORDER BY bt.priority DESC, bt.order_key, bt.id
       LIMIT $5`,
      [status, priority, orderKey, id, limit + 1],
    );
    return page(rows, limit, (last) => [last.priority, last.order_key, last.id]);
  }
  if (status) {
    const [completedAt, id] = numericCursor(filter.cursor, [
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    ]);
    const { rows } = await q.query<DbTask>(
      `${TASK_SELECT}
       WHERE bt.status = $1 AND bt.completed_at IS NOT NULL AND (bt.completed_at, bt.id) < ($2, $3)
       ORDER BY bt.completed_at DESC, bt.id DESC
       LIMIT $4`,
      [status, completedAt, id, limit + 1],
    );
    return page(rows, limit, (last) => [last.completed_at ?? 0, last.id]);
  }
  const [id] = numericCursor(filter.cursor, [Number.MAX_SAFE_INTEGER]);
  const { rows } = await q.query<DbTask>(`${TASK_SELECT} WHERE bt.id < $1 ORDER BY bt.id DESC LIMIT $2`, [
    id,
    limit + 1,
  ]);
  return page(rows, limit, (last) => [last.id]);
}

function page(rows: DbTask[], limit: number, keyOf: (row: DbTask) => number[]): TaskPage {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { tasks: kept.map(toTask), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
