import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { createBus, type HarkEvents } from '../core/events.js';
import { transcriptionIdFor } from '../core/orphans.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { QueueManager } from './queueManager.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A task for an orphan at `path`, as the scanner would queue it. */
function orphan(path: string) {
  return {
    transcriptionId: transcriptionIdFor(path),
    audioPath: path,
    source: 'orphan' as const,
    originalName: null,
    taskType: 'transcribe_orphan' as const,
    priority: 0 as const,
    fileSize: 100,
    fileMtimeMs: 5,
  };
}

function world() {
  const store = SqliteStore.open(join(tempDir(), 'hark.db'));
  closers.push(() => store.close());
  const clock = new ManualClock();
  const events = createBus();
  const queue = new QueueManager(store, clock, events);
  const told: { event: keyof HarkEvents; id?: string }[] = [];
  events.on('transcription-changed', ({ id }) => told.push({ event: 'transcription-changed', id }));
  return { store, clock, events, queue, told, audio: orphan };
}

describe('QueueManager', () => {
  it('tells the bus of every new or finished foreground transcription, after the sidecar is written', async () => {
    const { queue, told } = world();
    const created = await queue.createForegroundTranscription(
      { id: 'rec', audioPath: 'a/rec.webm', source: 'recording', recordedAt: 1 },
      { fileSize: 10, fileMtimeMs: 20 },
    );
    expect(created).toMatchObject({ id: 'rec', status: 'pending', fileSize: 10, fileMtimeMs: 20 });
    expect(told).toEqual([{ event: 'transcription-changed', id: 'rec' }]);
    const order: string[] = [];
    const done = queue.completeRecording(
      {
        id: 'rec',
        transcript: { text: 'hi', segments: [], duration: 1 },
        outcome: 'complete',
        engine: 'fake',
        sidecarPath: 'a/rec.txt',
      },
      async () => {
        order.push(`sidecar, ${told.length} told`);
        await queue.markSidecar('rec', 'written');
      },
    );
    expect(await done).toMatchObject({ status: 'complete', text: 'hi' });
    expect(order).toEqual(['sidecar, 1 told']);
    expect(told).toHaveLength(2);
    expect(await queue.pendingSidecars()).toEqual([]);
  });

  it('tells the bus when the scanner adopts sidecars, and only then', async () => {
    const { queue, told } = world();
    const sidecar = {
      transcriptionId: 'b',
      audioPath: 'b.wav',
      source: 'orphan' as const,
      originalName: null,
      sidecarPath: 'b.txt',
      text: 'words',
    };
    expect(await queue.adoptSidecars([])).toBe(0);
    expect(await queue.adoptSidecars([sidecar])).toBe(1);
    expect(await queue.adoptSidecars([sidecar])).toBe(0);
    expect(told).toEqual([{ event: 'transcription-changed', id: '*' }]);
    expect(await queue.knownAudioPaths()).toEqual(new Set(['b.wav']));
  });

  it('resumes a run from its checkpoint, or starts over when the file was replaced', async () => {
    const { queue, audio } = world();
    await queue.addTask(audio('long.wav'));
    const claimed = await queue.claimNext('w');
    if (!claimed) throw new Error('expected a task');
    const { task } = claimed;
    const chunk = {
      index: 0,
      start: 0,
      end: 30,
      segments: [{ start: 0, end: 30, text: 'one' }],
      progress: 0.5,
    };
    expect(await queue.saveCheckpoint(task.id, chunk, 0.5)).toBe(true);
    expect(await queue.resumePoint(task, { size: 100, mtimeMs: 5 })).toEqual({
      checkpoint: { seconds: 30, chunkCount: 1, segments: chunk.segments },
      startedOver: false,
    });
    expect(await queue.resumePoint(task, { size: 200, mtimeMs: 6 })).toEqual({
      checkpoint: { seconds: 0, chunkCount: 0, segments: [] },
      startedOver: true,
    });
    expect(await queue.getTranscription(task.transcriptionId)).toMatchObject({
      fileSize: 200,
      fileMtimeMs: 6,
    });
    expect(await queue.loadCheckpoint(task.id)).toEqual({ seconds: 0, chunkCount: 0, segments: [] });
  });

  it('gives an interrupted task back without spending its attempt, and says so on the bus', async () => {
    const { queue, events, audio } = world();
    await queue.addTask(audio('a.wav'));
    const claimed = await queue.claimNext('w');
    if (!claimed) throw new Error('expected a task');
    expect(claimed.task.attempts).toBe(1);
    const back = events.waitFor('task-update', (task) => task.status === 'pending');
    expect(await queue.requeue(claimed.task.id, { preempted: true })).toBe(true);
    expect(await back).toMatchObject({ attempts: 0, preemptedCount: 1 });
    expect(queue.activeTask).toBeNull();
  });

  it('keeps settings and reports the data version', async () => {
    const { queue } = world();
    expect(await queue.getSetting('recording_state')).toBeNull();
    await queue.setSetting('recording_state', 'Recording');
    expect(await queue.getSetting('recording_state')).toBe('Recording');
    expect(typeof (await queue.dataVersion())).toBe('number');
  });

  it('a change made elsewhere aborts only the run it was read for, never the one claimed meanwhile', async () => {
    // Seen in the multi-node soak: another node's commit had this node look at its running task;
    // that task finished and the next was claimed before the look came back, and the look's
    // "not processing any more" aborted the new task, which then stayed processing for good.
    const store = SqliteStore.open(join(tempDir(), 'hark.db'));
    closers.push(() => store.close());
    let holdReads = false;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tasks = new Proxy(store.tasks, {
      get(target, key) {
        const value = Reflect.get(target, key) as (...args: unknown[]) => unknown;
        if (key !== 'getTask') return value;
        return async (id: number) => {
          if (holdReads) await held;
          return value.call(target, id);
        };
      },
    });
    const slowStore = new Proxy(store, {
      get: (target, key) => (key === 'tasks' ? tasks : Reflect.get(target, key)),
    });
    const { clock, events, audio } = world();
    const queue = new QueueManager(slowStore, clock, events);
    await queue.addTask(audio('a.wav'));
    await queue.addTask(audio('b.wav'));
    const first = await queue.claimNext('w');
    if (!first) throw new Error('nothing claimed');
    holdReads = true;
    const look = queue.syncExternalChanges();
    holdReads = false;
    const transcript = { text: 'a', segments: [], duration: 1 };
    expect(
      await queue.complete({
        taskId: first.task.id,
        transcript,
        outcome: 'complete',
        engine: 'fake',
        sidecarPath: null,
      }),
    ).toBe(true);
    const second = await queue.claimNext('w');
    if (!second) throw new Error('nothing claimed');
    release();
    await look;
    expect(second.signal.aborted).toBe(false);
  });

  it('reports a committed completion as done even when the database goes away before it is read back', async () => {
    const { store, queue, audio } = world();
    await queue.addTask(audio('a.wav'));
    const claimed = await queue.claimNext('w');
    if (!claimed) throw new Error('expected a task');
    // The server restarts between the completion's commit and the re-read that announces it.
    const getTask = store.tasks.getTask.bind(store.tasks);
    store.tasks.getTask = async () => {
      store.tasks.getTask = getTask;
      throw Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      });
    };
    const input = {
      taskId: claimed.task.id,
      transcript: { text: 'hi', segments: [], duration: 1 },
      outcome: 'complete' as const,
      engine: 'fake',
      sidecarPath: null,
    };
    expect(await queue.complete(input)).toBe(true);
    expect(queue.activeTask).toBeNull();
    expect(await queue.getTask(claimed.task.id)).toMatchObject({ status: 'completed' });
  });
});

describe('QueueManager with several runs (--parallel)', () => {
  it('keeps a run per task: a cancel aborts only its own, a recording (abortActive) all, and an engine child is marked on the task it runs for', async () => {
    const dir = tempDir();
    const store = SqliteStore.open(join(dir, 'hark.db'));
    closers.push(() => store.close());
    const queue = new QueueManager(store, new ManualClock(), createBus());
    await queue.addTask(orphan('a.wav'));
    await queue.addTask(orphan('b.wav'));
    const a = await queue.claimNext('w');
    const b = await queue.claimNext('w');
    if (!a || !b) throw new Error('expected two claims');
    expect(queue.runningTasks.map((t) => t.audioPath)).toEqual(['a.wav', 'b.wav']);
    expect(queue.activeTask?.audioPath).toBe('a.wav');

    await queue.withinRun(b.task.id, () => queue.markEngineChild(true));
    const db = new Database(join(dir, 'hark.db'), { readonly: true });
    const inChild = (id: number) =>
      (db.prepare('SELECT in_engine_child AS v FROM background_tasks WHERE id = ?').get(id) as { v: number })
        .v;
    expect([inChild(a.task.id), inChild(b.task.id)]).toEqual([0, 1]);
    // Outside any run's scope, with two runs, nothing is marked (which one would it be?).
    await queue.markEngineChild(true);
    expect(inChild(a.task.id)).toBe(0);
    db.close();

    await queue.cancel(a.task.id);
    expect([a.signal.aborted, b.signal.aborted]).toEqual([true, false]);
    expect(queue.abortActive({ kind: 'preempted', by: 'recording state Recording' })).toBe(true);
    expect(b.signal.aborted).toBe(true);
    await queue.releaseRun(a.task.id);
    expect(await queue.requeue(b.task.id, { preempted: true })).toBe(true);
    expect(queue.runningTasks).toEqual([]);
  });
});

describe('QueueManager and a file heard several windows at once', () => {
  it('marks the task in an engine child from the first window in until the last one out', async () => {
    const dir = tempDir();
    const store = SqliteStore.open(join(dir, 'hark.db'));
    closers.push(() => store.close());
    const queue = new QueueManager(store, new ManualClock(), createBus());
    await queue.addTask(orphan('long.wav'));
    const run = await queue.claimNext('w');
    if (!run) throw new Error('expected a claim');
    const db = new Database(join(dir, 'hark.db'), { readonly: true });
    closers.push(async () => {
      db.close();
    });
    const inChild = () =>
      (
        db.prepare('SELECT in_engine_child AS v FROM background_tasks WHERE id = ?').get(run.task.id) as {
          v: number;
        }
      ).v;
    const mark = (hearing: boolean) => queue.withinRun(run.task.id, () => queue.markEngineChild(hearing));

    await Promise.all([mark(true), mark(true)]); // two windows go in
    expect(inChild()).toBe(1);
    await mark(false); // the first comes out while the second is still being heard
    expect(inChild()).toBe(1);
    await mark(false);
    expect(inChild()).toBe(0);
    await mark(true);
    expect(inChild()).toBe(1);
  });
});
