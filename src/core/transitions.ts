import type { Task, TaskStatus } from './types.js';

// The retry policy (what failures, crashes and interruptions do to attempts) is in retryRules.ts.

/** The user-facing retry count: how many times the task has been started again after its first attempt. */
export function retryCount(task: Pick<Task, 'attempts'>): number {
  return Math.max(0, task.attempts - 1);
}

/** Which user actions each status allows. The store enforces the same rules in its WHERE clauses. */
export const CAN_CANCEL: readonly TaskStatus[] = ['pending', 'processing'];
export const CAN_RETRY: readonly TaskStatus[] = ['failed', 'cancelled'];
export const CAN_MOVE_TO_FRONT: readonly TaskStatus[] = ['pending'];

/** The message recorded when a task keeps taking the process down with it. */
export function crashedMessage(attempts: number): string {
  return `Hark stopped unexpectedly while transcribing this file (${attempts} ${attempts === 1 ? 'time' : 'times'}); it will not be tried again automatically.`;
}
