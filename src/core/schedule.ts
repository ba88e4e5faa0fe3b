import { BadRequest } from './errors.js';

/**
 * Run windows: the hours of the day in which background work may run
 * (`--run-window 22:00-07:00`, several separated by commas). Times are local
 * wall-clock minutes since midnight; a window whose end is before its start
 * runs over midnight. Recordings are not scheduled: they always run.
 */
export interface RunWindow {
  /** Minutes since local midnight, 0..1439. */
  start: number;
  end: number;
}

const MINUTES_PER_DAY = 24 * 60;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function minutesOf(text: string, whole: string): number {
  const match = TIME.exec(text.trim());
  if (!match) {
    throw new BadRequest(`--run-window needs times like 22:00-07:00 (got "${whole}")`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Parses `22:00-07:00,12:00-13:30`. Empty or missing: no windows (run at any time). */
export function parseRunWindows(value: string | undefined | null): RunWindow[] {
  if (!value?.trim()) return [];
  return value.split(',').map((part) => {
    const [from, to, extra] = part.split('-');
    if (from === undefined || to === undefined || extra !== undefined) {
      throw new BadRequest(`--run-window needs a start and an end, like 22:00-07:00 (got "${part.trim()}")`);
    }
    const window = { start: minutesOf(from, part.trim()), end: minutesOf(to, part.trim()) };
    if (window.start === window.end) {
      throw new BadRequest(`--run-window ${part.trim()} starts and ends at the same time`);
    }
    return window;
  });
}

export function formatMinutes(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function formatRunWindows(windows: readonly RunWindow[]): string {
  return windows.map((w) => `${formatMinutes(w.start)}-${formatMinutes(w.end)}`).join(',');
}

function inside(window: RunWindow, minute: number): boolean {
  return window.start < window.end
    ? minute >= window.start && minute < window.end
    : minute >= window.start || minute < window.end;
}

export interface ScheduleState {
  /** Whether background work may run now. */
  open: boolean;
  /** Minutes until that changes (null when it never does: no windows, or windows covering the day). */
  minutesToChange: number | null;
  /** When closed: the start of the next window, as HH:MM. */
  nextStart: string | null;
}

/**
 * Where a moment falls in the schedule. `minute` is the local minute of the
 * day (0..1439); the caller turns its clock into it, so this stays pure.
 */
export function scheduleAt(windows: readonly RunWindow[], minute: number): ScheduleState {
  if (windows.length === 0) return { open: true, minutesToChange: null, nextStart: null };
  const open = windows.some((w) => inside(w, minute));
  // Walk forward minute by minute to the next change: at most a day, and exact for any mix of windows.
  for (let step = 1; step <= MINUTES_PER_DAY; step++) {
    const later = (minute + step) % MINUTES_PER_DAY;
    if (windows.some((w) => inside(w, later)) !== open) {
      return { open, minutesToChange: step, nextStart: open ? null : formatMinutes(later) };
    }
  }
  return { open, minutesToChange: null, nextStart: null };
}

/** The pause reason shown while outside the schedule; the keeper knows its own pauses by the prefix. */
export const SCHEDULE_REASON_PREFIX = 'outside the schedule';

export function scheduleReason(state: ScheduleState): string {
  return state.nextStart
    ? `${SCHEDULE_REASON_PREFIX}, next run at ${state.nextStart}`
    : SCHEDULE_REASON_PREFIX;
}

export function isScheduleReason(reason: string | null): boolean {
  return reason?.startsWith(SCHEDULE_REASON_PREFIX) ?? false;
}
