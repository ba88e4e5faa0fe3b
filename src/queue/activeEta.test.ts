import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { createBus } from '../core/events.js';
import { transcriptionIdFor } from '../core/orphans.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { QueueManager } from './queueManager.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('the running task’s time left', () => {
  it('counts down between checkpoints instead of climbing (16→19→22→25 s was seen)', async () => {
    const store = SqliteStore.open(join(tempDir(), 'hark.db'));
    closers.push(() => store.close());
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 12));
    const queue = new QueueManager(store, clock, createBus());
    await queue.addTask({
      transcriptionId: transcriptionIdFor('a.wav'),
      audioPath: 'a.wav',
      source: 'orphan',
      originalName: null,
      taskType: 'transcribe_orphan',
      priority: 0,
      fileSize: 100,
      fileMtimeMs: 1,
    });
    const claimed = await queue.claimNext('w');
    if (!claimed) throw new Error('nothing claimed');
    clock.advance(10_000);
    await queue.reportProgress(claimed.task.id, 0.25);
    expect(queue.activeEtaSeconds()).toBe(30);
    // No new checkpoint for a while: the estimate runs down with the clock, never up.
    const seen: (number | null)[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(3_000);
      seen.push(queue.activeEtaSeconds());
    }
    expect(seen).toEqual([27, 24, 21, 18]);
    // The next checkpoint gives a fresh estimate from the pace so far.
    await queue.reportProgress(claimed.task.id, 0.5);
    expect(queue.activeEtaSeconds()).toBe(22);
  });
});
