import type { Clock } from '../core/clock.js';

/**
 * Lets the worker sleep until something happens (an enqueue, a resume, a
 * retry, the end of a recording, a backoff running out) instead of polling.
 * A notify that comes while nobody waits is remembered, so no wake-up is lost.
 */
export class Wakeup {
  private pending = false;
  private waiter: (() => void) | null = null;

  constructor(private readonly clock: Clock) {}

  notify(): void {
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake();
    } else {
      this.pending = true;
    }
  }

  /** Resolves at the next notify, or after `timeoutMs` when given. */
  wait(timeoutMs?: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let cancelTimer = () => {};
      this.waiter = () => {
        cancelTimer();
        resolve();
      };
      if (timeoutMs !== undefined) {
        cancelTimer = this.clock.setTimer(timeoutMs, () => {
          this.waiter = null;
          resolve();
        });
      }
    });
  }
}
