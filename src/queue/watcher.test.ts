import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { systemClock } from '../core/clock.js';
import { createBus } from '../core/events.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { NotesFolder } from './notesFolder.js';
import { QueueManager } from './queueManager.js';
import { OrphanScanner, type ScanResult } from './scanner.js';
import { FolderWatcher } from './watcher.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('FolderWatcher', () => {
  it('queues new audio without a restart, but only once it has stopped growing', async () => {
    const dir = tempDir();
    const notesDir = join(dir, 'notes');
    mkdirSync(notesDir);
    const store = SqliteStore.open(join(dir, 'hark.db'));
    const events = createBus();
    const queue = new QueueManager(store, systemClock, events);
    const settleMs = 400;
    const scanner = new OrphanScanner(new NotesFolder(notesDir), queue, systemClock, { settleMs });
    const scans: { at: number; result: ScanResult }[] = [];
    const watcher = new FolderWatcher(notesDir, scanner, systemClock, {
      debounceMs: 30,
      settleMs,
      onScan: (result) => scans.push({ at: Date.now(), result }),
    });
    closers.push(
      () => watcher.stop(),
      () => store.close(),
    );
    watcher.start();

    const queued = events.waitFor('queue-changed', (event) => event.reason === 'enqueued');
    mkdirSync(join(notesDir, 'inbox'));
    const file = join(notesDir, 'inbox', 'dictation.wav');
    writeFileSync(file, 'RIFF');
    // Keep writing for a while, as a slow copy would.
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      appendFileSync(file, 'more audio bytes');
    }
    const lastWrite = Date.now();
    await queued;
    const queuedAt = Date.now();
    expect(queuedAt - lastWrite).toBeGreaterThanOrEqual(settleMs - 150);
    // Scans ran while it grew, and none of them took it.
    const duringGrowth = scans.filter((scan) => scan.at < lastWrite);
    expect(duringGrowth.length).toBeGreaterThan(0);
    expect(duringGrowth.every((scan) => scan.result.queued === 0 && scan.result.unsettled === 1)).toBe(true);
    const pending = (await store.tasks.listTasks({ status: 'pending', limit: 5 })).tasks;
    expect(pending.map((task) => [task.audioPath, task.originalName])).toEqual([
      ['inbox/dictation.wav', 'dictation.wav'],
    ]);
    expect((await store.transcriptions.getTranscription(pending[0]?.transcriptionId ?? ''))?.fileSize).toBe(
      4 + 8 * 16,
    );
  });
});
