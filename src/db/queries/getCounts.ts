import type { TaskCounts } from '../../core/types.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Five row reads from the trigger-kept counts table: constant time at any queue size. */
export function getCounts(db: Db): TaskCounts {
  const counts: TaskCounts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const row of stmt<[], { status: keyof TaskCounts; n: number }>(
    db,
    'SELECT status, n FROM task_counts',
  ).all()) {
    counts[row.status] = row.n;
  }
  return counts;
}
