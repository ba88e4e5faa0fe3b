import { backoffDelayMs } from './backoff.js';
import type { HarkError } from './errors.js';
import type { Task, TaskStatus } from './types.js';

/** What becomes of a task whose attempt failed. */
export type FailureDecision =
  | { status: 'pending'; availableAt: number; errorKind: string; errorMessage: string }
  | { status: 'failed'; errorKind: string; errorMessage: string };

/**
 * The retry rule. Attempts are counted when a task is claimed, so `attempts`
 * already includes the one that just failed: a task gets `maxRetries` retries
 * after its first attempt. A permanent error fails at once.
 */
export function decideFailure(
  task: Pick<Task, 'attempts' | 'maxRetries'>,
  error: Pick<HarkError, 'kind' | 'message' | 'retryable'>,
  now: number,
): FailureDecision {
  const retriesUsed = Math.max(0, task.attempts - 1);
  if (error.retryable && retriesUsed < task.maxRetries) {
    return {
      status: 'pending',
      availableAt: now + backoffDelayMs(task.attempts),
      errorKind: error.kind,
      errorMessage: error.message,
    };
  }
  const message =
    error.retryable && task.maxRetries > 0
      ? `${error.message} (gave up after ${task.attempts} attempts)`
      : error.message;
  return { status: 'failed', errorKind: error.kind, errorMessage: message };
}

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
