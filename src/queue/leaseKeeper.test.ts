import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../../tests/helpers/captureLog.js';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { eventually } from '../../tests/helpers/wait.js';
import { createBus } from '../core/events.js';
import { transcriptionIdFor } from '../core/orphans.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { LeaseReclaimer, startHeartbeat } from './leaseKeeper.js';
import { QueueManager } from './queueManager.js';

const LEASE = 4_000;

/** Resolves once a timer is set on the clock (a heartbeat schedules its next beat after an answer). */
async function timerSet(clock: ManualClock): Promise<void> {
  while (clock.pendingTimers === 0) await new Promise((resolve) => setImmediate(resolve));
}
const closes: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closes.splice(0)) await close();
});

async function world() {
  const clock = new ManualClock();
  const store = SqliteStore.open(join(tempDir(), 'hark.db'));
  closes.push(() => store.close());
  const events = createBus();
  const queue = new QueueManager(store, clock, events, {
    maxRetries: 2,
    progressWriteIntervalMs: 1_000,
    leaseMs: LEASE,
  });
  await queue.addTask({
    transcriptionId: transcriptionIdFor('a.wav'),
    audioPath: 'a.wav',
    source: 'orphan',
    originalName: null,
    taskType: 'transcribe_orphan',
    priority: 0,
    fileSize: null,
    fileMtimeMs: null,
  });
  const claimed = await queue.claimNext('w');
  if (!claimed) throw new Error('expected a task');
  /** Resolves with the answer of the next renewal the heartbeat makes. */
  const nextRenewal = () =>
    new Promise<boolean>((resolve) => {
      const renew = store.tasks.renewLease.bind(store.tasks);
      store.tasks.renewLease = async (...args) => {
        store.tasks.renewLease = renew;
        const held = await renew(...args);
        resolve(held);
        return held;
      };
    });
  return { clock, store, queue, events, task: claimed.task, signal: claimed.signal, nextRenewal };
}

describe('the lease heartbeat', () => {
  it('renews the running task’s lease every quarter lease, so it never lapses while its worker lives', async () => {
    const w = await world();
    const stop = startHeartbeat(w.queue, w.clock, w.task.id);
    for (let beat = 1; beat <= 6; beat++) {
      const renewal = w.nextRenewal();
      w.clock.advance(LEASE / 4);
      expect(await renewal).toBe(true);
      await timerSet(w.clock); // the next beat is set once this renewal's answer is in
    }
    // Claimed 1.5 leases ago, renewed just now: nothing to reclaim.
    expect(await w.store.tasks.reclaimExpired(w.clock.now() + LEASE - 1)).toEqual({ requeued: 0, failed: 0 });
    stop();
    expect(w.clock.pendingTimers).toBe(0);
  });

  it('aborts the run once the task is no longer its worker’s, and stops beating', async () => {
    const w = await world();
    const { log, lines } = captureLog();
    const stop = startHeartbeat(w.queue, w.clock, w.task.id, log);
    // The worker was cut off for longer than its lease: another node reclaimed the task.
    expect(await w.store.tasks.reclaimExpired(w.clock.now() + LEASE + 1)).toEqual({ requeued: 1, failed: 0 });
    const renewal = w.nextRenewal();
    const aborted = new Promise((resolve) => w.signal.addEventListener('abort', resolve));
    w.clock.advance(LEASE / 4);
    expect(await renewal).toBe(false);
    await aborted;
    expect(w.signal.reason).toEqual({ kind: 'cancelled' });
    await eventually(() => lines.some((line) => /no longer this worker's/.test(line)), 'the warning');
    expect(w.clock.pendingTimers).toBe(0);
    stop();
  });
});

describe('the lease reclaimer', () => {
  it('looks every half lease and puts a task whose lease lapsed back in the queue', async () => {
    const w = await world();
    const { log, lines } = captureLog();
    const reclaimer = new LeaseReclaimer(w.queue, w.clock, log);
    reclaimer.start();
    const changed = w.events.waitFor('queue-changed', (c) => c.reason === 'reclaimed');
    // Nobody renews: after a lease and a half at most, the task is back.
    w.clock.advance(LEASE / 2);
    w.clock.advance(LEASE / 2);
    await reclaimer.reclaimNow();
    w.clock.advance(LEASE / 2);
    await changed;
    expect(await w.store.tasks.getTask(w.task.id)).toMatchObject({ status: 'pending', lockedBy: null });
    expect(lines.some((line) => /reclaimed 1 task/.test(line))).toBe(true);
    reclaimer.stop();
    expect(w.clock.pendingTimers).toBe(0);
  });
});
