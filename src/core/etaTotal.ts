/**
 * The queue's total time left, in seconds: what the running tasks say of themselves, plus
 * the pending tasks' audio lengths at the measured real-time factor of the engine in use
 * (processing seconds per audio second, as core/stats.ts measures it from the task history).
 * A pending task of unknown length counts as the mean of the known ones. Null when it cannot
 * be said: a running task without an estimate, or pending work and no measured speed yet.
 */
export function totalEtaSeconds(input: {
  runningEtas: readonly (number | null)[];
  pendingDurations: readonly (number | null)[];
  realTimeFactor: number | null;
}): number | null {
  if (input.runningEtas.some((eta) => eta === null)) return null;
  const running = (input.runningEtas as number[]).reduce((sum, eta) => sum + eta, 0);
  if (input.pendingDurations.length === 0) return Math.round(running);
  const known = input.pendingDurations.filter((d): d is number => d !== null && d > 0);
  if (input.realTimeFactor === null || known.length === 0) return null;
  const mean = known.reduce((sum, d) => sum + d, 0) / known.length;
  const audio = input.pendingDurations.reduce<number>((sum, d) => sum + (d !== null && d > 0 ? d : mean), 0);
  return Math.round(running + audio * input.realTimeFactor);
}
