import type { Task } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { type DbTask, TASK_SELECT, toTask } from '../rows.js';

export async function getProcessingTasks(q: Queryable): Promise<Task[]> {
  const { rows } = await q.query<DbTask>(
    `${TASK_SELECT} WHERE bt.status = 'processing' ORDER BY bt.started_at`,
  );
  return rows.map(toTask);
}
