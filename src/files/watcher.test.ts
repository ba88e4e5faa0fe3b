import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { eventually } from '../../tests/helpers/wait.js';
import { systemClock } from '../core/clock.js';
import { createBus } from '../core/events.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { QueueManager } from '../queue/queueManager.js';
import { OrphanScanner, type ScanResult } from '../queue/scanner.js';
import { NotesFolder } from './notesFolder.js';
import { FolderWatcher } from './watcher.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  // Closed watches leave the list once the loop has run their close callbacks.
  await eventually(() => handles() === 0, 'the watches to close', { timeoutMs: 2_000 });
});

/** A notes folder with a store, a queue and a scanner, watched; everything is released after the test. */
async function watched(options: { settleMs?: number; onScan?: (result: ScanResult) => void } = {}) {
  const dir = tempDir();
  const notesDir = join(dir, 'notes');
  mkdirSync(notesDir);
  const store = SqliteStore.open(join(dir, 'hark.db'));
  const queue = new QueueManager(store, systemClock, createBus());
  const settleMs = options.settleMs ?? 100;
  const scanner = new OrphanScanner(new NotesFolder(notesDir), queue, systemClock, { settleMs });
  const watcher = new FolderWatcher(notesDir, scanner, systemClock, {
    debounceMs: 30,
    settleMs,
    ...(options.onScan ? { onScan: options.onScan } : {}),
  });
  closers.push(
    () => watcher.stop(),
    () => store.close(),
  );
  await watcher.start();
  const pendingPaths = async () =>
    (await store.tasks.listTasks({ status: 'pending', limit: 1000 })).tasks
      .map((task) => task.audioPath)
      .sort();
  return { notesDir, store, queue, watcher, pendingPaths };
}

/** The fs.watch handles open in this process (a closed one leaves the list at the loop's next turn). */
const handles = () => process.getActiveResourcesInfo().filter((kind) => kind === 'FSEventWrap').length;

describe('FolderWatcher', () => {
  it('queues new audio without a restart, but only once it has stopped growing', async () => {
    const dir = tempDir();
    const notesDir = join(dir, 'notes');
    mkdirSync(notesDir);
    const store = SqliteStore.open(join(dir, 'hark.db'));
    const events = createBus();
    const queue = new QueueManager(store, systemClock, events);
    // Ten times the writer's pace below, so that a busy machine stretching a 100 ms pause does not
    // make the growing file look settled (the scanner judges settling by the clock, as it must).
    const settleMs = 1_000;
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

  it('picks up a file dropped into a nested folder created after it started', async () => {
    const { notesDir, pendingPaths } = await watched();
    mkdirSync(join(notesDir, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(notesDir, 'a', 'b', 'c', 'deep.wav'), 'RIFF');
    await eventually(
      async () => (await pendingPaths()).includes('a/b/c/deep.wav'),
      'the nested file to be queued',
    );
    // And a second file into the (now watched) nested folder, well after the first rescan.
    writeFileSync(join(notesDir, 'a', 'b', 'c', 'deeper.wav'), 'RIFF');
    await eventually(async () => (await pendingPaths()).length === 2, 'the second nested file to be queued');
    expect(await pendingPaths()).toEqual(['a/b/c/deep.wav', 'a/b/c/deeper.wav']);
  });

  it('misses none of a burst of 200 files', async () => {
    const { notesDir, pendingPaths } = await watched();
    mkdirSync(join(notesDir, 'burst'));
    const names = Array.from({ length: 200 }, (_, i) => `burst/n${String(i).padStart(3, '0')}.wav`);
    for (const name of names) writeFileSync(join(notesDir, name), 'RIFF');
    await eventually(async () => (await pendingPaths()).length === 200, 'all 200 files to be queued');
    expect(await pendingPaths()).toEqual(names);
  });

  it('watches folders, not files, and ignores its own sidecars', async () => {
    const scans: ScanResult[] = [];
    const { notesDir, watcher } = await watched({ onScan: (result) => scans.push(result) });
    await eventually(() => scans.length > 0, 'the rescan after start');
    const before = handles();
    for (let i = 0; i < 20; i++) writeFileSync(join(notesDir, `note${i}.txt`), 'a transcript');
    mkdirSync(join(notesDir, 'sub'));
    await eventually(() => handles() === before + 1, 'one watch for the new folder');
    // Twenty sidecars and a folder: the folder's rescan only, no watch per file.
    await eventually(() => scans.length === 2, 'the folder to cause a rescan');
    writeFileSync(join(notesDir, 'sub', 'x.wav'), 'RIFF');
    await eventually(() => scans.length >= 3, 'the audio to cause a rescan');
    expect(handles()).toBe(before + 1);
    await watcher.stop();
  });

  it('releases every watch when stopped', async () => {
    const before = handles();
    const { notesDir, watcher } = await watched();
    mkdirSync(join(notesDir, 'x', 'y'), { recursive: true });
    writeFileSync(join(notesDir, 'x', 'y', 'z.wav'), 'RIFF');
    await eventually(() => handles() >= before + 3, 'the new folders to be watched');
    await watcher.stop();
    // A closed handle leaves the list once the loop has run its close callback.
    await eventually(() => handles() === before, 'every watch to be closed', { timeoutMs: 2_000 });
  });
});
