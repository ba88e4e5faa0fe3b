/**
 * The opt-in parallel batch (`--parallel N`, issue 14): several short background tasks at once
 * when the cores allow. The single worker stays the default (N = 1), and a recording stops all
 * of them (each steps aside at its checkpoint, as the single worker does).
 *
 * Why only short tasks: a long file is many windows that already keep the engine busy; running a
 * second task beside it only slows both. A backlog of short notes is different: each one pays
 * its process start-up, decode and model warm-up, which a second task can overlap. So tasks run
 * side by side only while every one of them is short; a long task runs alone.
 */

/** A task is short when its audio is known to last at most this long. */
export const SHORT_TASK_SECONDS = 60;

/** The most `--parallel` accepts (the cores cap it further at run time). */
export const MAX_PARALLEL = 16;

/** Whether audio of this length (seconds; null: not known yet) may run beside other tasks. */
export function isShortTask(durationSeconds: number | null): boolean {
  return (
    durationSeconds !== null &&
    Number.isFinite(durationSeconds) &&
    durationSeconds >= 0 &&
    durationSeconds <= SHORT_TASK_SECONDS
  );
}

/**
 * How many tasks may run at once: what was asked for, capped by the cores and by how many
 * calls the engine can take at once (whisper keeps one model in one host process and already
 * spreads a window over every core: 1; pocketsphinx is one single-threaded process per call).
 */
export function parallelSlots(input: {
  requested: number;
  cores: number;
  engineConcurrency: number;
}): number {
  const finite = (value: number) => (Number.isFinite(value) ? Math.floor(value) : Number.MAX_SAFE_INTEGER);
  return Math.max(1, Math.min(finite(input.requested), finite(input.cores), finite(input.engineConcurrency)));
}

/** What a worker loop may claim now: any task, only a short one, or nothing. */
export type ClaimScope = 'any' | 'short' | 'none';

/**
 * The claim rule for one more worker loop, given the tasks this process is running (their
 * audio lengths). Nothing running: any task. Fewer than `slots` running and every one of them
 * short: only a short task joins them. Otherwise (all slots taken, or a long task or one of
 * unknown length running): nothing.
 */
export function claimScope(running: readonly (number | null)[], slots: number): ClaimScope {
  if (running.length === 0) return 'any';
  if (running.length >= slots) return 'none';
  return running.every(isShortTask) ? 'short' : 'none';
}

/** Reads `--parallel` / HARK_PARALLEL / the setting: a whole number from 1 to MAX_PARALLEL, or null. */
export function parseParallel(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  return Number.isInteger(number) && (number as number) >= 1 && (number as number) <= MAX_PARALLEL
    ? (number as number)
    : null;
}
