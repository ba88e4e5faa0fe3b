/**
 * A file a node cannot find on its own notes folder (ENOENT on its mount), when other nodes may
 * share the queue: the file may be there for them (a mount not yet synced, a node started with
 * another --notes). So the task is given back, its attempt refunded, after a short delay that
 * lets another node take it; only after MAX_NODE_MISSES such misses does it fail, with a reason
 * that says what to check. A single machine on SQLite never asks this rule: a file it cannot
 * find is gone, and fails at once as before.
 */

/** How many misses, by any nodes, before the task fails. */
export const MAX_NODE_MISSES = 3;
/** The wait before a missed task may be claimed again, per miss so far: 2 s, 4 s … */
export const MISS_DELAY_MS = 2_000;

export type MissDecision =
  | { status: 'pending'; attempts: number; missCount: number; availableAt: number }
  | {
      status: 'failed';
      attempts: number;
      /** Back to 0: a retry by the user gets a fresh round of misses. */
      missCount: 0;
      errorKind: 'file_missing';
      errorMessage: string;
    };

export interface MissedTask {
  /** Attempts including the one this claim counted. */
  attempts: number;
  /** Misses before this one. */
  missCount: number;
  audioPath: string;
}

export function afterNodeMiss(task: MissedTask, now: number): MissDecision {
  // Not finding the file is not an attempt at it: the claim's count is given back.
  const attempts = Math.max(task.attempts - 1, 0);
  const missCount = task.missCount + 1;
  if (missCount >= MAX_NODE_MISSES) {
    return {
      status: 'failed',
      attempts,
      missCount: 0,
      errorKind: 'file_missing',
      errorMessage:
        `No worker node could find ${task.audioPath} on its notes folder (${missCount} tries). ` +
        'Check that the file still exists and that every node’s --notes is the shared notes folder.',
    };
  }
  return { status: 'pending', attempts, missCount, availableAt: now + MISS_DELAY_MS * missCount };
}
