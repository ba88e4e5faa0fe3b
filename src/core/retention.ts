const DAY_MS = 24 * 60 * 60 * 1000;

/** Completed tasks that finished before this time are pruned; null when kept for ever (0 days). */
export function retentionCutoff(now: number, keepDays: number): number | null {
  if (!Number.isFinite(keepDays) || keepDays <= 0) return null;
  return now - keepDays * DAY_MS;
}

/** How long completed tasks stay in the queue's lists by default (`--keep-completed-days`). */
export const DEFAULT_KEEP_COMPLETED_DAYS = 30;
