/**
 * Hearing several windows of one file at once (issue 14). pocketsphinx hears a window in one
 * single-threaded process, so a long file heard window after window keeps one core busy while
 * the others idle; whisper already spreads each window over every core through its threads.
 * A file's windows may therefore be heard side by side, up to the cores, when the recogniser
 * takes several calls at once. They are still committed in order, so a checkpoint means what it
 * meant: every window before it is done. What an abort or a crash costs is the windows in flight,
 * which are heard again from the last checkpoint.
 */

/** The most windows of one file heard at once: the recogniser's calls, the cores and the request, at least 1. */
export function windowsAtOnce(input: {
  /** What the engine was configured with (undefined: as many as the cores). */
  requested: number | undefined;
  cores: number;
  /** How many calls the recogniser takes at once (Infinity for a process per call). */
  recognizerConcurrency: number;
  /** A recogniser session hears one task's windows in turn, in one process: one at a time. */
  session: boolean;
}): number {
  if (input.session) return 1;
  const whole = (value: number) => (Number.isFinite(value) ? Math.floor(value) : Number.MAX_SAFE_INTEGER);
  const requested = input.requested ?? input.cores;
  return Math.max(1, Math.min(whole(requested), whole(input.cores), whole(input.recognizerConcurrency)));
}

/**
 * Whether a file may start hearing one more window now. Its first window always starts (so a
 * task never waits on another task's windows, and `--parallel` means what it did); another one
 * starts only below the file's limit and while the process hears fewer windows than it has
 * cores, counting every task's windows, so look-ahead never crowds out a task running beside it.
 * (A task that starts while another is hearing ahead still starts at once: for that one window the
 * process hears one more than its cores, never more.)
 */
export function mayHearAnother(input: {
  /** This file's windows being heard now. */
  inFlight: number;
  /** windowsAtOnce for this file. */
  limit: number;
  /** Every window being heard in this process now, this file's included. */
  hearingInProcess: number;
  cores: number;
}): boolean {
  if (input.inFlight === 0) return true;
  return input.inFlight < input.limit && input.hearingInProcess < input.cores;
}
