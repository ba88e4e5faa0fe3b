import { Aborted, type AbortReason, isAbortReason } from '../core/errors.js';

/** The Aborted error for a signal that fired. */
export function abortedError(signal: AbortSignal): Aborted {
  const reason: unknown = signal.reason;
  return new Aborted(isAbortReason(reason) ? reason : ({ kind: 'cancelled' } satisfies AbortReason));
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortedError(signal);
}

/** Waits `ms`, or rejects with Aborted as soon as the signal fires. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
