import type { Task } from './types.js';

/**
 * Seconds left for a task another node runs, from its row alone: the time since its claim over
 * the progress it shows. A run that resumed from a checkpoint looks faster than it is, so this is
 * a rough "about"; the node running it knows its pace in this run (QueueManager.activeEtaSeconds).
 */
export function etaFromRow(
  task: Pick<Task, 'status' | 'progress' | 'startedAt'>,
  now: number,
): number | null {
  if (task.status !== 'processing' || task.startedAt === null || task.progress < 0.01) return null;
  const elapsed = (now - task.startedAt) / 1000;
  if (elapsed <= 0) return null;
  return Math.max(0, Math.round((elapsed / task.progress) * (1 - task.progress)));
}

/**
 * Seconds left for the task this node runs, from its pace in this run: the estimate made at
 * its last step forward (the time the run took to get there, over the progress it made, for
 * the rest), counted down with the clock since. Between checkpoints it runs down smoothly
 * instead of climbing with the time spent waiting for the next one; each step gives a fresh
 * estimate. Null before the run has moved.
 */
export function runEtaSeconds(run: {
  startedAt: number;
  startProgress: number;
  progress: number;
  /** When the progress last moved forward. */
  progressAt: number;
  now: number;
}): number | null {
  const done = run.progress - run.startProgress;
  const elapsed = (run.progressAt - run.startedAt) / 1000;
  if (done <= 0.001 || elapsed <= 0) return null;
  const estimate = (elapsed / done) * (1 - run.progress);
  return Math.max(0, Math.round(estimate - Math.max(0, run.now - run.progressAt) / 1000));
}
