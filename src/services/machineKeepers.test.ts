import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../../tests/helpers/captureLog.js';
import { isAlive } from '../../tests/helpers/childProcesses.js';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { eventually } from '../../tests/helpers/wait.js';
import { createBus } from '../core/events.js';
import { silentLog } from '../core/log.js';
import { transcriptionIdFor } from '../core/orphans.js';
import { RecordingStateHolder } from '../core/recordingState.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { QueueManager } from '../queue/queueManager.js';
import { BatteryWatch } from './batteryWatch.js';
import { KEEP_AWAKE_GRACE_MS, keepAwakeWhileWorking } from './keepAwake.js';
import { SleepGuard } from './sleepGuard.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const FAKE_INHIBIT = new URL('../../tests/helpers/fakeInhibit.sh', import.meta.url).pathname;

function world(start = Date.UTC(2026, 11, 1, 12)) {
  const dir = tempDir();
  const store = SqliteStore.open(join(dir, 'hark.db'));
  closers.push(() => store.close());
  const clock = new ManualClock(start);
  const events = createBus();
  const queue = new QueueManager(store, clock, events);
  return { dir, store, clock, events, queue };
}

function audio(path: string) {
  return {
    transcriptionId: transcriptionIdFor(path),
    audioPath: path,
    source: 'orphan' as const,
    originalName: null,
    taskType: 'transcribe_orphan' as const,
    priority: 0 as const,
    fileSize: 100,
    fileMtimeMs: 1,
  };
}

/** A power_supply folder as the kernel lays it out. */
function powerSupplies(root: string, supplies: Record<string, Record<string, string>>) {
  for (const [name, files] of Object.entries(supplies)) {
    mkdirSync(join(root, name), { recursive: true });
    for (const [file, value] of Object.entries(files)) writeFileSync(join(root, name, file), `${value}\n`);
  }
}

describe('pause on battery', () => {
  it('pauses when unplugged and resumes when plugged in again, leaving the user’s pause alone', async () => {
    const { dir, clock, queue, events } = world();
    const root = join(dir, 'power_supply');
    powerSupplies(root, {
      AC: { type: 'Mains', online: '0' },
      BAT0: { type: 'Battery', status: 'Discharging' },
    });
    const watch = new BatteryWatch(queue, clock, { log: silentLog, root });
    closers.push(() => watch.stop());
    await watch.start();
    expect(await queue.getPause()).toMatchObject({ paused: true, reason: 'on battery power' });

    powerSupplies(root, { AC: { type: 'Mains', online: '1' } });
    const resumed = events.waitFor('pause-changed', (state) => !state.paused);
    clock.advance(60_000);
    await resumed;

    await queue.pause('user');
    powerSupplies(root, { AC: { type: 'Mains', online: '0' } });
    clock.advance(60_000);
    await watch.check();
    powerSupplies(root, { AC: { type: 'Mains', online: '1' } });
    await watch.check();
    expect(await queue.getPause()).toMatchObject({ paused: true, reason: 'user' });
  });

  it('a machine without power supplies (a desktop, this VM) never pauses', async () => {
    const { dir, clock, queue } = world();
    const watch = new BatteryWatch(queue, clock, { log: silentLog, root: join(dir, 'absent') });
    closers.push(() => watch.stop());
    await watch.start();
    expect((await queue.getPause()).paused).toBe(false);
  });
});

describe('keeping the machine awake', () => {
  it('holds an inhibitor while this worker runs a task or the user records, and lets go a grace period after', async () => {
    const { dir, clock, events, queue } = world();
    const inhibitLog = join(dir, 'inhibit.log');
    process.env.HARK_TEST_INHIBIT_LOG = inhibitLog;
    closers.push(() => {
      delete process.env.HARK_TEST_INHIBIT_LOG;
    });
    const guard = new SleepGuard({ log: silentLog, command: FAKE_INHIBIT });
    let idle = (): void => {};
    const stop = keepAwakeWhileWorking({
      events,
      clock,
      guard,
      workerId: 'me',
      nextIdle: () =>
        new Promise<void>((resolve) => {
          idle = resolve;
        }),
    });
    closers.push(stop);
    const recording = new RecordingStateHolder(events);

    await queue.addTask(audio('a.wav'));
    const queued = await queue.getTask(1);
    if (!queued) throw new Error('no task');
    events.emit('task-update', { ...queued, status: 'processing', lockedBy: 'someone else' });
    expect(guard.holding).toBe(false);

    const task = await queue.claimNext('me');
    expect(task).not.toBeNull();
    expect(guard.holding).toBe(true);
    await eventually(
      () => existsSync(inhibitLog) && readFileSync(inhibitLog, 'utf8').includes('--mode=block'),
      'the condition',
    );
    const [pid] = readFileSync(inhibitLog, 'utf8').trim().split(' ');
    expect(readFileSync(inhibitLog, 'utf8')).toContain('--what=sleep:idle --who=Hark');

    idle();
    await eventually(() => clock.pendingTimers > 0, 'the condition');
    recording.set('Recording'); // recording inside the grace period: the lock stays
    clock.advance(KEEP_AWAKE_GRACE_MS);
    expect(guard.holding).toBe(true);
    recording.set('Idle');
    clock.advance(KEEP_AWAKE_GRACE_MS);
    expect(guard.holding).toBe(false);
    await eventually(() => !isAlive(Number(pid)), 'the condition');
  });

  it('says once that it cannot, where the inhibitor is missing or logind is away, and works on', async () => {
    const { log, lines } = captureLog();
    const guard = new SleepGuard({ log, command: '/nonexistent/systemd-inhibit' });
    guard.hold();
    await eventually(() => lines.length > 0, 'the warning');
    guard.hold();
    expect(lines).toEqual([
      expect.stringMatching(
        /cannot keep the machine awake while transcribing: \/nonexistent\/systemd-inhibit is not installed/,
      ),
    ]);
    expect(guard.holding).toBe(false);
  });
});
