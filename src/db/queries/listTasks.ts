import { BadRequest } from '../../core/errors.js';
import type { TaskFilter } from '../../core/store.js';
import { TASK_STATUSES, type TaskPage } from '../../core/types.js';
import type { Db } from '../open.js';
import { type DbTask, decodeCursor, encodeCursor, TASK_SELECT, taskSelect, toTask } from '../rows.js';
import { stmt } from '../statements.js';

/**
 * One page of tasks, by keyset pagination so page 200 costs what page 1 does.
 * Pending tasks come in the order they will run; finished ones newest first;
 * all tasks (no filter) newest first.
 */
export function listTasks(db: Db, filter: TaskFilter): TaskPage {
  const limit = filter.limit;
  // Checked against the list of statuses, then written into the SQL as a literal: a partial
  // index is only usable when the planner can see the status the query asks for.
  const status = filter.status;
  if (status !== undefined && !TASK_STATUSES.includes(status))
    throw new BadRequest(`Unknown status ${status}`);
  if (status === 'pending' || status === 'processing') {
    const cursor = filter.cursor ? decodeCursor(filter.cursor, 3) : [3, 0, 0];
    if (!cursor) throw new BadRequest('Invalid cursor');
    const [priority, orderKey, id] = cursor;
    const rows = stmt<[unknown], DbTask>(
      db,
      `${status === 'pending' ? taskSelect('background_tasks_claim_order') : TASK_SELECT}
       WHERE bt.status = '${status}'
         AND (bt.priority < @priority
              OR (bt.priority = @priority AND (bt.order_key > @orderKey OR (bt.order_key = @orderKey AND bt.id > @id))))
       ORDER BY bt.priority DESC, bt.order_key, bt.id
       LIMIT @limit`,
    ).all({ priority, orderKey, id, limit: limit + 1 });
    return page(rows, limit, (last) => [last.priority, last.order_key, last.id]);
  }
  if (status) {
    const cursor = filter.cursor
      ? decodeCursor(filter.cursor, 2)
      : [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    if (!cursor) throw new BadRequest('Invalid cursor');
    const [completedAt, id] = cursor;
    const rows = stmt<[unknown], DbTask>(
      db,
      `${taskSelect('background_tasks_finished')}
       WHERE bt.status = '${status}' AND bt.completed_at IS NOT NULL AND (bt.completed_at, bt.id) < (@completedAt, @id)
       ORDER BY bt.completed_at DESC, bt.id DESC
       LIMIT @limit`,
    ).all({ completedAt, id, limit: limit + 1 });
    return page(rows, limit, (last) => [last.completed_at ?? 0, last.id]);
  }
  const cursor = filter.cursor ? decodeCursor(filter.cursor, 1) : [Number.MAX_SAFE_INTEGER];
  if (!cursor) throw new BadRequest('Invalid cursor');
  const rows = stmt<[unknown], DbTask>(
    db,
    `${TASK_SELECT} WHERE bt.id < @id ORDER BY bt.id DESC LIMIT @limit`,
  ).all({ id: cursor[0], limit: limit + 1 });
  return page(rows, limit, (last) => [last.id]);
}

function page(rows: DbTask[], limit: number, keyOf: (row: DbTask) => (number | string)[]): TaskPage {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { tasks: kept.map(toTask), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

export function getProcessingTasks(db: Db): ReturnType<typeof toTask>[] {
  return stmt<[], DbTask>(db, `${TASK_SELECT} WHERE bt.status = 'processing' ORDER BY bt.started_at`)
    .all()
    .map(toTask);
}
