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
