import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { createBus } from '../core/events.js';
import { silentLog } from '../core/log.js';
import { parseRunWindows } from '../core/schedule.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { QueueManager } from '../queue/queueManager.js';
import type { HarkConfig } from './config.js';
import { startMachineRules } from './machineRules.js';
import { localMinuteOf } from './scheduleKeeper.js';
import type { HarkServices } from './services.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const hhmm = (minute: number) =>
  `${String(Math.floor((minute % 1440) / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

function plug(root: string, online: boolean) {
  mkdirSync(join(root, 'AC'), { recursive: true });
  mkdirSync(join(root, 'BAT0'), { recursive: true });
  writeFileSync(join(root, 'AC', 'type'), 'Mains\n');
  writeFileSync(join(root, 'AC', 'online'), online ? '1\n' : '0\n');
  writeFileSync(join(root, 'BAT0', 'type'), 'Battery\n');
  writeFileSync(join(root, 'BAT0', 'status'), online ? 'Charging\n' : 'Discharging\n');
}

/** The queue with both machine rules on, unplugged: a run window `from`..`to` minutes from now, and pause-on-battery. */
async function machine(from: number, to: number) {
  const dir = tempDir();
  const store = SqliteStore.open(join(dir, 'hark.db'));
  closers.push(() => store.close());
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 12));
  const events = createBus();
  const queue = new QueueManager(store, clock, events);
  const root = join(dir, 'power_supply');
  plug(root, false);
  const now = localMinuteOf(clock.now());
  const window = `${hhmm(now + 1440 + from)}-${hhmm(now + 1440 + to)}`;
  const config = {
    runWindows: parseRunWindows(window),
    pauseOnBattery: true,
    powerSupplyDir: root,
    keepAwake: false,
  } as unknown as HarkConfig;
  const services = { queue, clock, config, log: silentLog, events } as unknown as HarkServices;
  const rules = await startMachineRules(services, null);
  closers.push(() => rules.stop());
  return { clock, queue, events, root, window, schedule: rules.schedule };
}

describe('the machine rules together', () => {
  it('when the battery pause lifts outside the run window, the queue stays paused for the schedule', async () => {
    // Inside the window, on battery: paused for the battery. The window closes meanwhile.
    const { clock, queue, events, root, window } = await machine(-60, 60);
    expect(await queue.getPause()).toMatchObject({ paused: true, reason: 'on battery power' });
    clock.advance(61 * 60_000);
    await queue.getPause();

    plug(root, true);
    const changed = events.waitFor('pause-changed', (state) => state.reason !== 'on battery power');
    clock.advance(60_000);
    await changed;
    expect(await queue.getPause()).toMatchObject({
      paused: true,
      reason: `outside the schedule, next run at ${window.slice(0, 5)}`,
    });
  });

  it('when the run window opens on battery, the queue stays paused for the battery', async () => {
    const { clock, queue, schedule } = await machine(120, 180);
    expect((await queue.getPause()).paused).toBe(true);
    clock.advance(121 * 60_000);
    await schedule.settled();
    expect(await queue.getPause()).toMatchObject({ paused: true, reason: 'on battery power' });
  });
});
