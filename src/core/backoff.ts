/** First retry waits this long; each later one twice as long as the one before. */
export const BACKOFF_BASE_MS = 10_000;
/** No retry waits longer than an hour: a transient cause (a busy disk, a crashed engine) is gone by then. */
export const BACKOFF_CAP_MS = 60 * 60 * 1000;

/**
 * How long a task waits before its next attempt, given how many attempts it has
 * made: 10 s, 20 s, 40 s … capped at one hour. Deterministic on purpose: there is
 * one worker, so there is no thundering herd for jitter to spread. The worker's
 * waits for storage trouble use the same formula with a shorter base and cap.
 */
export function backoffDelayMs(
  attempts: number,
  { baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS }: { baseMs?: number; capMs?: number } = {},
): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(baseMs * 2 ** exponent, capMs);
}
