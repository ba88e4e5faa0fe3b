import type { Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { type DbTask, TASK_SELECT, toTask } from '../rows.js';
import { stmt } from '../statements.js';

export function getTask(db: Db, id: number): Task | null {
  const row = stmt<[number], DbTask>(db, `${TASK_SELECT} WHERE bt.id = ?`).get(id);
  return row ? toTask(row) : null;
}
