import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTask, TASK_SELECT, toTask } from '../rows.js';

export async function getTask(q: Queryable, id: number): Promise<Task | null> {
  const { rows } = await q.query<DbTask>(`${TASK_SELECT} WHERE bt.id = $1`, [id]);
  return rows[0] ? toTask(rows[0]) : null;
}
