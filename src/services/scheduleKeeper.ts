import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { type RunWindow, scheduleAt, scheduleReason } from '../core/schedule.js';
import type { QueueManager } from '../queue/queueManager.js';
import { MachinePause } from './machinePause.js';

/** The local minute of the day of a moment: the machine's wall clock (tests pass their own). */
export function localMinuteOf(ms: number): number {
  const date = new Date(ms);
  return date.getHours() * 60 + date.getMinutes();
}

/** Look again at least this often: the wall clock can jump (DST, suspend, NTP). */
const RECHECK_CAP_MS = 15 * 60_000;

/**
 * Keeps the queue inside its run windows. Outside them it pauses the queue
 * with a reason saying when the next run is (a running task steps aside and
 * resumes from its checkpoint later); at the next window it lifts that pause.
 * It only ever lifts a machine rule's pause, and it acts at the edges of windows
 * only, so a user's Resume outside the schedule ("run now") holds until the next
 * window closes; with the battery rule it decides through MachinePause, so a pause
 * one of them lifts stays while the other holds. Recordings never wait for it: they do not use the queue's claim.
 */
export class ScheduleKeeper {
  private cancelTimer: (() => void) | null = null;
  private stopped = false;
  private lastOpen: boolean | null = null;
  private windows: readonly RunWindow[];

  constructor(
    queue: QueueManager,
    private readonly clock: Clock,
    windows: readonly RunWindow[],
    private readonly options: {
      log: Log;
      localMinute?: (ms: number) => number;
      /** Where the machine rules' pause is decided from all of them (its own when alone). */
      rules?: MachinePause;
    },
  ) {
    this.windows = windows;
    this.rules = options.rules ?? new MachinePause(queue, options.log);
  }

  private readonly rules: MachinePause;
  private looking: Promise<void> = Promise.resolve();

  async start(): Promise<void> {
    await this.check();
  }

  /** New windows (the settings changed): applied at once. */
  async setWindows(windows: readonly RunWindow[]): Promise<void> {
    this.windows = windows;
    this.lastOpen = null;
    await this.check();
  }

  /** Resolves once the look a timer started is done (tests advance the clock, then await this). */
  async settled(): Promise<void> {
    await this.looking;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const now = this.clock.now();
    const state = scheduleAt(this.windows, (this.options.localMinute ?? localMinuteOf)(now));
    try {
      if (state.open !== this.lastOpen) await this.apply(state.open, scheduleReason(state));
      this.lastOpen = state.open;
    } catch (error) {
      // The database may be away for a moment: try again at the next look.
      this.options.log.warn(`could not apply the run schedule: ${(error as Error).message}`);
    }
    if (state.minutesToChange === null && this.windows.length === 0) return;
    const untilNextMinute = 60_000 - (now % 60_000);
    const untilChange =
      state.minutesToChange === null
        ? RECHECK_CAP_MS
        : untilNextMinute + (state.minutesToChange - 1) * 60_000;
    this.cancelTimer = this.clock.setTimer(Math.min(untilChange, RECHECK_CAP_MS), () => {
      this.looking = this.check();
    });
  }

  /** The pause itself is decided with the other machine rules (core/machinePause.ts). */
  private async apply(open: boolean, reason: string): Promise<void> {
    await this.rules.report({ outsideSchedule: open ? null : reason });
  }
}
