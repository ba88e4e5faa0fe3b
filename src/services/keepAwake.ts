import type { Clock } from '../core/clock.js';
import type { HarkBus } from '../core/events.js';
import type { SleepGuard } from './sleepGuard.js';

/** How long Hark holds the lock after the last piece of work: no flapping between two tasks. */
export const KEEP_AWAKE_GRACE_MS = 30_000;

export interface KeepAwakeDeps {
  events: HarkBus;
  clock: Clock;
  guard: SleepGuard;
  /** This process's worker id: other nodes' tasks do not keep this machine awake. */
  workerId: string | null;
  /** Resolves the next time the worker finds nothing to run (Worker.nextIdle). */
  nextIdle: (() => Promise<void>) | null;
}

/**
 * Holds the sleep lock while this process transcribes: from the moment its
 * worker claims a task or the user records, until a grace period after the
 * worker goes idle and the recording is done.
 */
export function keepAwakeWhileWorking(deps: KeepAwakeDeps): () => void {
  const { events, clock, guard } = deps;
  let stopped = false;
  let recording = false;
  let cancelRelease: (() => void) | null = null;
  const hold = () => {
    cancelRelease?.();
    cancelRelease = null;
    guard.hold();
  };
  const releaseLater = () => {
    if (recording || !guard.holding || cancelRelease) return;
    cancelRelease = clock.setTimer(KEEP_AWAKE_GRACE_MS, () => {
      cancelRelease = null;
      if (!recording) guard.release();
    });
  };
  const offs = [
    events.on('task-update', (task) => {
      if (task.status === 'processing' && task.lockedBy === deps.workerId) hold();
    }),
    events.on('recording-changed', ({ to }) => {
      recording = to !== 'Idle';
      if (recording) hold();
      else releaseLater();
    }),
  ];
  const watchIdle = async () => {
    while (!stopped && deps.nextIdle) {
      await deps.nextIdle();
      if (!stopped) releaseLater();
    }
  };
  void watchIdle();
  return () => {
    stopped = true;
    for (const off of offs) off();
    cancelRelease?.();
    guard.release();
  };
}
