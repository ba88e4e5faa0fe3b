import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { MemoryNotes } from '../../tests/helpers/memoryNotes.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import type { TranscriptionEngine } from '../core/engine.js';
import { FileMissing } from '../core/errors.js';
import { createBus } from '../core/events.js';
import { classifyAudio, transcriptionIdFor } from '../core/orphans.js';
import { RecordingStateHolder } from '../core/recordingState.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { QueueManager } from './queueManager.js';
import { Worker } from './worker.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** "Hears" the text a file in the memory notes folder holds, in one window. */
function memoryEngine(notes: MemoryNotes): TranscriptionEngine {
  return {
    name: 'memory',
    async transcribe(audioPath, options) {
      const text = notes.content(audioPath.slice(notes.root.length + 1));
      if (text === undefined) throw new FileMissing(audioPath);
      const segments = [{ start: 0, end: 1, text }];
      options.onProgress?.(1);
      await options.onChunk?.({ index: 0, start: 0, end: 1, segments, progress: 1 });
      return { text, segments, duration: 1, language: 'en' };
    },
    dispose: async () => {},
  };
}

/** The worker on a notes folder in memory: what it writes beside the audio, with no disk. */
function world() {
  const clock = new ManualClock(Date.now());
  const store = SqliteStore.open(join(tempDir(), 'hark.db'));
  const events = createBus();
  const queue = new QueueManager(store, clock, events, { maxRetries: 2, progressWriteIntervalMs: 1_000 });
  const notes = new MemoryNotes(() => clock.now());
  const recording = new RecordingStateHolder(events);
  const worker = new Worker({
    queue,
    engine: memoryEngine(notes),
    clock,
    recording,
    notes,
    events,
    workerId: 'memory-worker',
  });
  stops.push(async () => {
    await worker.stop();
    await store.close();
  });
  const add = async (path: string, content: string) => {
    notes.write(path, content);
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
  };
  const drained = async () => {
    const idle = worker.nextIdle();
    worker.start();
    worker.wake();
    await idle;
  };
  return { store, notes, add, drained };
}

describe('Worker on an in-memory notes folder', () => {
  it('writes the transcript beside the audio, and keeps a different file already there', async () => {
    const w = world();
    const fresh = await w.add('a/first.wav', 'hello there');
    w.notes.write('b/second.txt', 'typed by hand\n');
    const kept = await w.add('b/second.wav', 'what the engine heard');
    await w.drained();
    expect(w.notes.content('a/first.txt')).toBe('hello there\n');
    expect(w.notes.content('b/second.txt')).toBe('typed by hand\n');
    expect((await w.store.tasks.getTask(fresh.id))?.status).toBe('completed');
    expect((await w.store.tasks.getTask(kept.id))?.status).toBe('completed');
  });

  it('fails a task whose audio is gone before it is heard', async () => {
    const w = world();
    const gone = await w.add('gone.wav', 'never heard');
    w.notes.delete('gone.wav');
    await w.drained();
    expect(await w.store.tasks.getTask(gone.id)).toMatchObject({
      status: 'failed',
      errorKind: 'file_missing',
    });
  });
});
