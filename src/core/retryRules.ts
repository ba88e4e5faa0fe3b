import { backoffDelayMs } from './backoff.js';
import type { HarkError } from './errors.js';
import { crashedMessage } from './transitions.js';
import type { Task } from './types.js';

/**
 * The retry policy, in one place: what each event in a task's life does to
 * its attempt count. Every store applies these inside the transaction that
 * records the event, so SQLite and PostgreSQL cannot drift apart.
 *
 * Attempts are counted when a task is claimed, so that a file that kills the
 * process still uses up its retries (the poison-pill rule); the events that
 * are not the file's fault (an interruption, certain deaths) give it back.
 */

/** How many attempts a claim counts. The claim is one UPDATE (it must stay fast), so the SQL adds this constant. */
export const ATTEMPTS_COUNTED_AT_CLAIM = 1;

/**
 * How many deaths in the engine's child process one task is forgiven. Such a
 * death cannot be the file's doing as far as we can tell, but "as far as we
 * can tell" is not a proof: past this many, they count again, so that even a
 * file that somehow kills Hark only while the child hears it ends failed
 * instead of looping forever.
 */
export const MAX_FORGIVEN_CRASHES = 5;

type Attempts = Pick<Task, 'attempts'>;

/** What becomes of a task whose attempt failed. */
export type FailureDecision =
  | { status: 'pending'; availableAt: number; errorKind: string; errorMessage: string }
  | { status: 'failed'; errorKind: string; errorMessage: string };

/** The attempt count once a task is claimed. */
export function afterClaim(task: Attempts): { attempts: number } {
  return { attempts: task.attempts + ATTEMPTS_COUNTED_AT_CLAIM };
}

/**
 * A failed attempt. `attempts` already includes the one that just failed: a
 * task gets `maxRetries` retries after its first attempt, each after a growing
 * backoff. A permanent error fails at once.
 */
export function nextStateAfterFailure(
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

/** An attempt given back: the claim's count undone, never below zero. */
function refunded(attempts: number): number {
  return Math.max(attempts - ATTEMPTS_COUNTED_AT_CLAIM, 0);
}

/**
 * The task was interrupted (pre-empted by a recording or a pause, the app
 * shutting down, storage trouble, the file changing under it), not at fault:
 * it goes back without spending its attempt. A pre-emption is counted.
 */
export function afterInterruption(
  task: Pick<Task, 'attempts' | 'preemptedCount'>,
  options: { preempted: boolean },
): { attempts: number; preemptedCount: number } {
  return {
    attempts: refunded(task.attempts),
    preemptedCount: task.preemptedCount + (options.preempted ? 1 : 0),
  };
}

/** A recording (or a pause) took the engine: the attempt is given back and the pre-emption counted. */
export function afterPreemption(task: Pick<Task, 'attempts' | 'preemptedCount'>) {
  return afterInterruption(task, { preempted: true });
}

/** What recovery knows about a task a dead process left `processing`. */
export interface AbandonedAttempt {
  attempts: number;
  maxRetries: number;
  forgivenCrashes: number;
  /** The attempt committed new chunks before the death. */
  committedSinceClaim: boolean;
  /** The death came while the engine's child process was hearing a window. */
  inEngineChild: boolean;
}

export type CrashDecision =
  | { status: 'pending'; attempts: number; forgivenCrashes: number }
  | {
      status: 'failed';
      attempts: number;
      forgivenCrashes: number;
      errorKind: 'crashed';
      errorMessage: string;
    };

/**
 * Start-up found a task a dead process left `processing`. The death counts
 * against the file (the attempt was spent at claim), except in two cases that
 * give the attempt back:
 * - the attempt committed new chunks before dying (the file is not what kills us);
 * - it died while the engine's child process was hearing a window: the file is
 *   read only there, and a child that dies is an ordinary engine failure Hark
 *   survives, so a death of Hark then came from outside (a kill, a power cut),
 *   up to MAX_FORGIVEN_CRASHES times per task. Without this, three outside
 *   kills while a short file was being heard failed a good file as `crashed`.
 * A task whose retries are then used up fails as `crashed`; the others go back to pending.
 */
export function afterCrash(task: AbandonedAttempt): CrashDecision {
  let { attempts, forgivenCrashes } = task;
  if (task.committedSinceClaim) {
    attempts = refunded(attempts);
  } else if (task.inEngineChild && forgivenCrashes < MAX_FORGIVEN_CRASHES) {
    attempts = refunded(attempts);
    forgivenCrashes++;
  }
  if (attempts > task.maxRetries) {
    return {
      status: 'failed',
      attempts,
      forgivenCrashes,
      errorKind: 'crashed',
      errorMessage: crashedMessage(attempts),
    };
  }
  return { status: 'pending', attempts, forgivenCrashes };
}

/** The user retries a failed or cancelled task: it starts over with a fresh set of retries. */
export function afterUserRetry(_task: Attempts): { attempts: number } {
  return { attempts: 0 };
}
