/**
 * What of a queue snapshot (QueueStatusJson) decides which lists are stale;
 * spelled out here so that this file imports nothing and the node tests can load it.
 */
export interface ListSnapshot {
  pending_count: number;
  processing_count: number;
  completed_count: number;
  failed_count: number;
  cancelled_count: number;
  /** The first page of pending tasks, in run order. */
  tasks: readonly { id: number }[];
}

/** What the task lists show changed between two snapshots of the queue. */
export interface ListChanges {
  /** Some count changed: tasks may have moved between any of the lists. */
  all: boolean;
  /** The first page of pending tasks is in another order (move to front). */
  pending: boolean;
}

const COUNTS = [
  'pending_count',
  'processing_count',
  'completed_count',
  'failed_count',
  'cancelled_count',
] as const satisfies readonly (keyof ListSnapshot)[];

/**
 * Which lists to fetch again after a new snapshot. A progress tick of the
 * running task changes neither the counts nor the pending order: nothing.
 */
export function listChanges(previous: ListSnapshot | undefined, next: ListSnapshot): ListChanges {
  if (!previous) return { all: true, pending: true };
  const all = COUNTS.some((count) => previous[count] !== next[count]);
  const order = (queue: ListSnapshot) => queue.tasks.map((task) => task.id).join(',');
  return { all, pending: all || order(previous) !== order(next) };
}
