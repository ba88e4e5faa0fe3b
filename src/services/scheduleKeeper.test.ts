import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { createBus } from '../core/events.js';
import { silentLog } from '../core/log.js';
import { parseRunWindows } from '../core/schedule.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { QueueManager } from '../queue/queueManager.js';
import { ScheduleKeeper } from './scheduleKeeper.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const MIDNIGHT = Date.UTC(2026, 11, 1);
const hour = 3_600_000;

/** A queue and a keeper on a clock that starts at `startHour` (the keeper reads minutes from midnight UTC). */
async function keeperAt(startHour: number, windows: string) {
  const store = SqliteStore.open(join(tempDir(), 'hark.db'));
  closers.push(() => store.close());
  const clock = new ManualClock(MIDNIGHT + startHour * hour);
  const events = createBus();
  const queue = new QueueManager(store, clock, events);
  const keeper = new ScheduleKeeper(queue, clock, parseRunWindows(windows), {
    log: silentLog,
    localMinute: (ms) => Math.floor((ms - MIDNIGHT) / 60_000) % (24 * 60),
  });
  closers.push(() => keeper.stop());
  await keeper.start();
  return { queue, keeper, clock, events };
}

/** Moves the clock a minute at a time, letting the keeper's async look finish before the next minute. */
async function pass(clock: ManualClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 60_000) {
    clock.advance(Math.min(60_000, left));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the run schedule', () => {
  it('outside the windows the queue is paused, saying when the next run is', async () => {
    const { queue } = await keeperAt(12, '22:00-07:00');
    expect(await queue.getPause()).toMatchObject({
      paused: true,
      reason: 'outside the schedule, next run at 22:00',
    });
  });

  it('lifts its pause when the window opens, and pauses again when it closes', async () => {
    const { queue, clock, events } = await keeperAt(21.5, '22:00-07:00');
    expect((await queue.getPause()).paused).toBe(true);
    const resumed = events.waitFor('pause-changed', (state) => !state.paused);
    await pass(clock, 0.5 * hour);
    await resumed;
    const paused = events.waitFor('pause-changed', (state) => state.paused);
    await pass(clock, 9 * hour);
    expect((await paused).reason).toBe('outside the schedule, next run at 22:00');
  });

  it("never lifts the user's own pause, and lets a user's Resume outside the schedule run until the next close", async () => {
    const { queue, clock, events } = await keeperAt(21, '22:00-07:00');
    await queue.resume();
    await queue.pause('user');
    await pass(clock, 1.5 * hour); // the window opens: the user's pause stays
    expect(await queue.getPause()).toMatchObject({ paused: true, reason: 'user' });
    await queue.resume();
    const closed = events.waitFor('pause-changed', (state) => state.paused);
    await pass(clock, 9 * hour); // 07:30: the window has closed
    expect((await closed).reason).toMatch(/^outside the schedule/);
  });

  it('does nothing without windows', async () => {
    const { queue, clock } = await keeperAt(3, '');
    await pass(clock, 48 * hour);
    expect((await queue.getPause()).paused).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('new windows apply at once', async () => {
    const { queue, keeper } = await keeperAt(12, '22:00-07:00');
    await keeper.setWindows(parseRunWindows('11:00-13:00'));
    expect((await queue.getPause()).paused).toBe(false);
  });
});
