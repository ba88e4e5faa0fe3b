/** How long completed tasks stay in the queue's lists by default (`--keep-completed-days`). */
export const DEFAULT_KEEP_COMPLETED_DAYS = 30;

const DAY_MS = 24 * 3_600_000;

/**
 * Completed tasks that finished before the returned time are pruned; null
 * keeps them all (0 days: "keep forever"). Only tasks: transcripts are never
 * touched, and failed or cancelled tasks wait for the user.
 */
export function pruneBefore(now: number, keepDays: number): number | null {
  if (!Number.isFinite(keepDays) || keepDays <= 0) return null;
  return now - keepDays * DAY_MS;
}

/** Prune once at start and then once a day. */
export const PRUNE_EVERY_MS = DAY_MS;
