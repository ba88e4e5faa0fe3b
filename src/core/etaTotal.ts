/**
 * The queue's total time left, in seconds: what the running tasks say of themselves, plus
 * the pending tasks' audio lengths at the measured real-time factor of the engine in use
 * (processing seconds per audio second, as core/stats.ts measures it from the task history).
 * A pending task of unknown length counts as the mean of the known ones. Null when it cannot
 * be said: a running task without an estimate, or pending work and no measured speed yet.
 */
export function totalEtaSeconds(input: {
  runningEtas: readonly (number | null)[];
  /** The pending tasks' audio still to hear, summed by the store (a queue may hold 100,000). */
  pending: PendingAudioTotals;
  realTimeFactor: number | null;
}): number | null {
  if (input.runningEtas.some((eta) => eta === null)) return null;
  const running = (input.runningEtas as number[]).reduce((sum, eta) => sum + eta, 0);
  const { knownSeconds, known, unknown } = input.pending;
  if (known + unknown === 0) return Math.round(running);
  if (input.realTimeFactor === null || known === 0) return null;
  const audio = knownSeconds + unknown * (knownSeconds / known);
  return Math.round(running + audio * input.realTimeFactor);
}

/**
 * The pending tasks' audio still to hear (each one's length past its checkpoint): the sum over
 * those whose length is known and more than zero, how many they are, and how many are not known.
 */
export interface PendingAudioTotals {
  knownSeconds: number;
  known: number;
  unknown: number;
}

/** The totals of a list of remaining lengths (null: not known), as the stores sum them in SQL. */
export function pendingAudioTotals(remaining: readonly (number | null)[]): PendingAudioTotals {
  const known = remaining.filter((d): d is number => d !== null && d > 0);
  return {
    knownSeconds: known.reduce((sum, d) => sum + d, 0),
    known: known.length,
    unknown: remaining.length - known.length,
  };
}

/** A finished attempt as the speed measure sees it: how long it ran and how much audio it got through. */
export interface SpeedSample {
  startedAt: number;
  endedAt: number;
  audioSeconds: number;
}

/**
 * The real-time factor (processing seconds per audio second) of one engine and model,
 * from its latest finished attempts: their time summed over their audio summed, so a
 * long file counts for more than a short one. Null with nothing to go on.
 */
export function measuredRealTimeFactor(samples: readonly SpeedSample[]): number | null {
  let busyMs = 0;
  let audio = 0;
  for (const sample of samples) {
    if (sample.audioSeconds <= 0 || sample.endedAt < sample.startedAt) continue;
    busyMs += sample.endedAt - sample.startedAt;
    audio += sample.audioSeconds;
  }
  return audio > 0 ? busyMs / 1000 / audio : null;
}

/**
 * A running task's time left: its own estimate (its pace since it started) when it has
 * one, else the audio it has still to hear at the measured speed; null when neither is known.
 */
export function runningEtaSeconds(
  ownEstimate: number | null,
  remainingAudioSeconds: number | null,
  realTimeFactor: number | null,
): number | null {
  if (ownEstimate !== null) return ownEstimate;
  if (remainingAudioSeconds === null || realTimeFactor === null) return null;
  return Math.max(0, remainingAudioSeconds) * realTimeFactor;
}

/** The audio a task has still to hear: its length past its checkpoint, or null when its length is not known. */
export function remainingAudioSeconds(task: {
  duration: number | null;
  checkpointSeconds: number;
}): number | null {
  if (task.duration === null || task.duration <= 0) return null;
  return Math.max(0, task.duration - task.checkpointSeconds);
}
