import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { createBus } from '../core/events.js';
import { classifyAudio, transcriptionIdFor } from '../core/orphans.js';
import { RecordingStateHolder } from '../core/recordingState.js';
import type { Task } from '../core/types.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { NotesFolder } from '../files/notesFolder.js';
import { type FakeAudioSpec, FakeEngine, fakeAudio } from '../transcription/fakeEngine.js';
import { QueueManager } from './queueManager.js';
import { Worker } from './worker.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function world(options: { parallel?: number; cores?: number } = {}) {
  const dir = tempDir();
  const notesDir = join(dir, 'notes');
  mkdirSync(notesDir);
  const clock = new ManualClock(Date.now());
  const store = SqliteStore.open(join(dir, 'hark.db'));
  const events = createBus();
  const queue = new QueueManager(store, clock, events, { maxRetries: 2, progressWriteIntervalMs: 1_000 });
  const recording = new RecordingStateHolder(events);
  const notes = new NotesFolder(notesDir);
  const engine = new FakeEngine({ msPerChunk: 5 });
  const worker = new Worker({
    queue,
    events,
    engine,
    clock,
    recording,
    notes,
    workerId: 'test-worker',
    ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
    cores: options.cores ?? 8,
  });
  stops.push(async () => {
    await worker.stop();
    await store.close();
  });

  async function add(path: string, spec: FakeAudioSpec): Promise<Task> {
    writeFileSync(join(notesDir, path), fakeAudio(spec));
    const stat = notes.stat(path);
    const { task } = await queue.addTask({
      transcriptionId: transcriptionIdFor(path),
      audioPath: path,
      ...classifyAudio(path),
      fileSize: stat?.size ?? null,
      fileMtimeMs: stat?.mtimeMs ?? null,
    });
    if (!task) throw new Error('not queued');
    return task;
  }

  /** The tasks in `processing` at once, as the events tell it, and the most seen together. */
  const processing = new Set<number>();
  let most = 0;
  const togetherWaiters: { count: number; resolve: () => void }[] = [];
  events.on('task-update', (task) => {
    if (task.status === 'processing') processing.add(task.id);
    else processing.delete(task.id);
    most = Math.max(most, processing.size);
    for (const waiter of togetherWaiters.filter((w) => processing.size >= w.count)) {
      togetherWaiters.splice(togetherWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const together = (count: number) =>
    new Promise<void>((resolve) => togetherWaiters.push({ count, resolve }));
  const until = (id: number, predicate: (task: Task) => boolean) =>
    events.waitFor('task-update', (task) => task.id === id && predicate(task));
  const mostTogether = () => most;

  return { notesDir, store, events, queue, recording, engine, worker, add, until, together, mostTogether };
}

/** A short note that takes a while to hear: 8 windows of 5 s, 60 ms each. */
const slowShort = (text: string): FakeAudioSpec => ({ text, duration: 40, chunkSeconds: 5, msPerChunk: 60 });

describe('Worker with --parallel', () => {
  it('runs two short tasks at once with --parallel 2, and a recording stops both until it ends', async () => {
    const w = world({ parallel: 2 });
    const a = await w.add('a.wav', slowShort('alpha one two three'));
    const b = await w.add('b.wav', slowShort('bravo four five six'));
    // Both heard a window (each is past its claim, truly running) before the recording starts.
    const aHeard = w.until(a.id, (t) => t.status === 'processing' && t.progress > 0);
    const bHeard = w.until(b.id, (t) => t.status === 'processing' && t.progress > 0);
    w.worker.start();
    await w.together(2);
    await Promise.all([aHeard, bHeard]);

    const aBack = w.until(a.id, (t) => t.status === 'pending' && t.preemptedCount === 1);
    const bBack = w.until(b.id, (t) => t.status === 'pending' && t.preemptedCount === 1);
    w.recording.set('Recording');
    await Promise.all([aBack, bBack]);
    await w.worker.engineFree();
    // While the recording goes on, nothing is claimed.
    const idle = w.worker.nextIdle();
    w.worker.wake();
    await idle;
    expect((await w.store.tasks.getCounts()).processing).toBe(0);
    expect(w.worker.isBusy).toBe(false);

    const aDone = w.until(a.id, (t) => t.status === 'completed');
    const bDone = w.until(b.id, (t) => t.status === 'completed');
    w.recording.set('Idle');
    await Promise.all([aDone, bDone]);
    expect(w.mostTogether()).toBe(2);
    // Each resumed from its checkpoint: its words once, the pre-empted attempt refunded.
    for (const [task, text] of [
      [a, 'alpha one two three'],
      [b, 'bravo four five six'],
    ] as const) {
      expect(await w.store.transcriptions.getTranscription(task.transcriptionId)).toMatchObject({
        status: 'complete',
        text,
      });
      expect(await w.store.tasks.getTask(task.id)).toMatchObject({ attempts: 1, preemptedCount: 1 });
      expect(readFileSync(join(w.notesDir, task.audioPath.replace('.wav', '.txt')), 'utf8')).toBe(
        `${text}\n`,
      );
    }
  });

  it('runs a long task alone: a short one waits for it, and nothing overtakes a long task at the head', async () => {
    const w = world({ parallel: 2 });
    const short1 = await w.add('s1.wav', slowShort('first short'));
    const long = await w.add('long.wav', {
      text: 'a long talk',
      duration: 600,
      chunkSeconds: 100,
      msPerChunk: 40,
    });
    const short2 = await w.add('s2.wav', slowShort('second short'));
    const order: number[] = [];
    w.events.on('task-update', (t) => {
      if (t.status === 'completed') order.push(t.id);
    });
    const done = w.until(short2.id, (t) => t.status === 'completed');
    w.worker.start();
    await done;
    expect(order).toEqual([short1.id, long.id, short2.id]);
    expect(w.mostTogether()).toBe(1);
  });

  it('stays the single worker by default, and is capped by the cores', async () => {
    for (const options of [{}, { parallel: 4, cores: 1 }]) {
      const w = world(options);
      const a = await w.add('a.wav', slowShort('one'));
      const b = await w.add('b.wav', slowShort('two'));
      w.worker.start();
      await Promise.all([
        w.until(a.id, (t) => t.status === 'completed'),
        w.until(b.id, (t) => t.status === 'completed'),
      ]);
      expect(w.mostTogether()).toBe(1);
    }
  });

  it('runs one task at a time on an engine that takes one call at a time (whisper), whatever --parallel says', async () => {
    const w = world({ parallel: 2 });
    Object.defineProperty(w.engine, 'concurrency', { value: 1 });
    const a = await w.add('a.wav', slowShort('one'));
    const b = await w.add('b.wav', slowShort('two'));
    w.worker.start();
    await Promise.all([
      w.until(a.id, (t) => t.status === 'completed'),
      w.until(b.id, (t) => t.status === 'completed'),
    ]);
    expect(w.mostTogether()).toBe(1);
  });
});
