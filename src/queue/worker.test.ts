import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import type { TranscribeOptions, TranscriptionEngine } from '../core/engine.js';
import { createBus } from '../core/events.js';
import { classifyAudio, transcriptionIdFor } from '../core/orphans.js';
import { RecordingStateHolder } from '../core/recordingState.js';
import type { Task } from '../core/types.js';
import type { WindowPrompt } from '../core/windowPrompt.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { NotesFolder } from '../files/notesFolder.js';
import { type FakeAudioSpec, FakeEngine, fakeAudio } from '../transcription/fakeEngine.js';
import { QueueManager } from './queueManager.js';
import { type PreemptPolicy, Worker } from './worker.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function world(
  options: {
    maxRetries?: number;
    preempt?: PreemptPolicy;
    msPerChunk?: number;
    engine?: (fake: FakeEngine) => TranscriptionEngine;
  } = {},
) {
  const dir = tempDir();
  const notesDir = join(dir, 'notes');
  mkdirSync(notesDir);
  const clock = new ManualClock(Date.now());
  const store = SqliteStore.open(join(dir, 'hark.db'));
  const events = createBus();
  const queue = new QueueManager(store, clock, events, {
    maxRetries: options.maxRetries ?? 2,
    progressWriteIntervalMs: 1_000,
  });
  const recording = new RecordingStateHolder(events);
  const notes = new NotesFolder(notesDir);
  const engine = new FakeEngine({ msPerChunk: options.msPerChunk ?? 2 });
  const worker = new Worker({
    queue,
    events,
    engine: options.engine ? options.engine(engine) : engine,
    clock,
    recording,
    notes,
    workerId: 'test-worker',
    preempt: options.preempt ?? 'always',
  });
  stops.push(async () => {
    await worker.stop();
    await store.close();
  });

  async function add(path: string, spec: FakeAudioSpec | string = {}): Promise<Task> {
    const file = join(notesDir, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof spec === 'string' ? spec : fakeAudio(spec));
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

  const until = (id: number, predicate: (task: Task) => boolean) =>
    events.waitFor('task-update', (task) => task.id === id && predicate(task));

  return { dir, notesDir, clock, store, events, queue, recording, notes, engine, worker, add, until };
}

/** The fake engine, its chunks leaving a prompt each (as ChunkedEngine's do), telling what each call was given. */
class PromptingEngine implements TranscriptionEngine {
  readonly name = 'prompting';
  calls: { startAt: number; prompt: WindowPrompt | null | undefined }[] = [];

  constructor(private readonly inner: FakeEngine) {}

  transcribe(path: string, options: TranscribeOptions) {
    this.calls.push({ startAt: options.startAt ?? 0, prompt: options.prompt });
    return this.inner.transcribe(path, {
      ...options,
      onChunk: (chunk) =>
        options.onChunk?.({ ...chunk, nextPrompt: { text: `left by ${chunk.index}`, language: 'en' } }),
    });
  }

  dispose() {
    return this.inner.dispose();
  }
}

describe('Worker', () => {
  it('resumes a task with the prompt its last committed window left, from the store', async () => {
    let engine: PromptingEngine | undefined;
    const w = world({
      engine: (fake) => {
        engine = new PromptingEngine(fake);
        return engine;
      },
    });
    const long = await w.add('long.wav', {
      text: 'one two three',
      duration: 300,
      chunkSeconds: 30,
      msPerChunk: 15,
    });
    const midway = w.until(long.id, (t) => t.status === 'processing' && t.checkpointSeconds >= 90);
    w.worker.start();
    await midway;
    const requeued = w.until(long.id, (t) => t.status === 'pending');
    await w.queue.pause('user');
    const paused = await requeued;
    const done = w.until(long.id, (t) => t.status === 'completed');
    await w.queue.resume();
    await done;
    const committed = paused.checkpointSeconds / 30;
    expect(engine?.calls).toEqual([
      { startAt: 0, prompt: undefined },
      { startAt: paused.checkpointSeconds, prompt: { text: `left by ${committed - 1}`, language: 'en' } },
    ]);
  });

  it('transcribes queued files one at a time and writes the transcript beside the audio', async () => {
    const w = world();
    const a = await w.add('2026-11-28/101500-voice-note.wav', { text: 'first note here', duration: 70 });
    const b = await w.add('talk.mp3', { text: 'second file', duration: 5 });
    const order: number[] = [];
    let running = 0;
    let maxRunning = 0;
    w.events.on('task-update', (task) => {
      if (task.status === 'processing' && task.progress === 0) {
        order.push(task.id);
        running++;
        maxRunning = Math.max(maxRunning, running);
      }
      if (task.status === 'completed') running--;
    });
    const bDone = w.until(b.id, (t) => t.status === 'completed');
    w.worker.start();
    await bDone;
    expect(order).toEqual([a.id, b.id]);
    expect(maxRunning).toBe(1);
    expect(readFileSync(join(w.notesDir, '2026-11-28/101500-voice-note.txt'), 'utf8')).toBe(
      'first note here\n',
    );
    expect(readFileSync(join(w.notesDir, 'talk.txt'), 'utf8')).toBe('second file\n');
    const transcription = await w.store.transcriptions.getTranscription(a.transcriptionId);
    expect(transcription).toMatchObject({
      status: 'complete',
      text: 'first note here',
      duration: 70,
      engine: 'fake',
    });
    expect(transcription?.segments.map((s) => s.text).join(' ')).toBe('first note here');
    expect(w.engine.calls).toBe(2);
  });

  it('sleeps when there is nothing to do and wakes when a task is added', async () => {
    const w = world();
    w.worker.start();
    const idle = w.worker.nextIdle();
    w.worker.wake();
    await idle;
    expect(w.engine.calls).toBe(0);
    const task = await w.add('late.wav', { text: 'late arrival' });
    await w.until(task.id, (t) => t.status === 'completed');
    expect(w.engine.calls).toBe(1);
  });

  it('retries a transient failure after its backoff, then fails it; a permanent failure fails at once', async () => {
    const w = world({ maxRetries: 1 });
    const flaky = await w.add('flaky.wav', { fail: 'transient' });
    const broken = await w.add('broken.wav', { fail: 'unreadable' });
    const good = await w.add('good.wav', { text: 'fine' });
    const backedOff = w.until(flaky.id, (t) => t.status === 'pending' && t.errorKind === 'engine_failed');
    const goodDone = w.until(good.id, (t) => t.status === 'completed');
    w.worker.start();
    await backedOff;
    await goodDone;
    expect(await w.store.tasks.getTask(broken.id)).toMatchObject({
      status: 'failed',
      errorKind: 'unreadable_audio',
      attempts: 1,
    });
    // The flaky task waits out its backoff: nothing runs it until the clock passes it.
    expect((await w.store.tasks.getTask(flaky.id))?.status).toBe('pending');
    const failed = w.until(flaky.id, (t) => t.status === 'failed');
    w.clock.advance(10_000);
    await failed;
    expect(await w.store.tasks.getTask(flaky.id)).toMatchObject({
      attempts: 2,
      errorMessage: 'The engine failed (fake transient error) (gave up after 2 attempts)',
    });
  });

  it('turns an empty transcript into a visible no_speech outcome, with no sidecar', async () => {
    const w = world();
    const task = await w.add('silence.wav', { text: '', duration: 600 });
    w.worker.start();
    await w.until(task.id, (t) => t.status === 'completed');
    expect(await w.store.transcriptions.getTranscription(task.transcriptionId)).toMatchObject({
      status: 'no_speech',
      text: '',
    });
    expect(existsSync(join(w.notesDir, 'silence.txt'))).toBe(false);
  });

  it('fails a task whose file was deleted after it was queued, and goes on', async () => {
    const w = world();
    const gone = await w.add('gone.wav', { text: 'x' });
    const next = await w.add('next.wav', { text: 'y' });
    unlinkSync(join(w.notesDir, 'gone.wav'));
    w.worker.start();
    await w.until(next.id, (t) => t.status === 'completed');
    expect(await w.store.tasks.getTask(gone.id)).toMatchObject({
      status: 'failed',
      errorKind: 'file_missing',
    });
  });

  it('completes a task without the engine when its file was transcribed meanwhile', async () => {
    const w = world();
    const task = await w.add('2026-11-28/090000-voice-note.wav', { text: 'background words' });
    await w.store.transcriptions.completeRecording({
      id: task.transcriptionId,
      transcript: {
        text: 'foreground words',
        segments: [{ start: 0, end: 1, text: 'foreground words' }],
        duration: 1,
      },
      outcome: 'complete',
      engine: 'fake-foreground',
      sidecarPath: null,
      now: w.clock.now(),
    });
    w.worker.start();
    await w.until(task.id, (t) => t.status === 'completed');
    expect(w.engine.calls).toBe(0);
    expect(await w.store.transcriptions.getTranscription(task.transcriptionId)).toMatchObject({
      text: 'foreground words',
      engine: 'fake-foreground',
    });
  });

  it('never overwrites a transcript file it did not write', async () => {
    const w = world();
    const task = await w.add('mine.wav', { text: 'machine words' });
    writeFileSync(join(w.notesDir, 'mine.txt'), 'my own careful notes');
    w.worker.start();
    await w.until(task.id, (t) => t.status === 'completed');
    expect(readFileSync(join(w.notesDir, 'mine.txt'), 'utf8')).toBe('my own careful notes');
    expect((await w.store.transcriptions.getTranscription(task.transcriptionId))?.text).toBe('machine words');
  });

  it('cancels a running task: the engine stops and the worker moves on', async () => {
    const w = world();
    const long = await w.add('long.wav', { text: 'a b c d e f', duration: 3600, msPerChunk: 20 });
    const next = await w.add('next.wav', { text: 'next' });
    const started = w.until(long.id, (t) => t.status === 'processing' && t.progress > 0);
    w.worker.start();
    await started;
    await w.queue.cancel(long.id);
    await w.until(next.id, (t) => t.status === 'completed');
    expect(await w.store.tasks.getTask(long.id)).toMatchObject({ status: 'cancelled' });
    expect((await w.store.transcriptions.getTranscription(long.transcriptionId))?.status).toBe('pending');
  });

  it('pausing stops the running task; resuming continues it from its checkpoint', async () => {
    const w = world();
    const long = await w.add('long.wav', {
      text: 'one two three four five six',
      duration: 300,
      chunkSeconds: 30,
      msPerChunk: 15,
    });
    const midway = w.until(long.id, (t) => t.status === 'processing' && t.checkpointSeconds >= 90);
    w.worker.start();
    await midway;
    const requeued = w.until(long.id, (t) => t.status === 'pending');
    await w.queue.pause('user');
    const paused = await requeued;
    expect(paused.checkpointSeconds).toBeGreaterThanOrEqual(90);
    expect(paused).toMatchObject({ attempts: 0, preemptedCount: 1 });
    const idle = w.worker.nextIdle();
    w.worker.wake();
    await idle;
    expect((await w.store.tasks.getTask(long.id))?.status).toBe('pending');
    const done = w.until(long.id, (t) => t.status === 'completed');
    await w.queue.resume();
    await done;
    expect((await w.store.transcriptions.getTranscription(long.transcriptionId))?.text).toBe(
      'one two three four five six',
    );
    expect(await w.store.tasks.getTask(long.id)).toMatchObject({ attempts: 1, preemptedCount: 1 });
  });

  it('starts nothing while the user records, and pre-empts the running task without spending a retry', async () => {
    const w = world();
    const long = await w.add('long.wav', {
      text: 'w1 w2 w3 w4 w5 w6 w7 w8',
      duration: 240,
      chunkSeconds: 30,
      msPerChunk: 15,
    });
    const other = await w.add('other.wav', { text: 'other' });
    const midway = w.until(long.id, (t) => t.checkpointSeconds >= 60);
    w.worker.start();
    await midway;
    const requeued = w.until(long.id, (t) => t.status === 'pending');
    w.recording.set('Recording');
    const back = await requeued;
    expect(back).toMatchObject({ preemptedCount: 1, attempts: 0 });
    const idle = w.worker.nextIdle();
    w.worker.wake();
    await idle;
    expect((await w.store.tasks.getTask(other.id))?.status).toBe('pending');
    const callsBefore = w.engine.calls;
    const done = w.until(long.id, (t) => t.status === 'completed');
    w.recording.set('Idle');
    await done;
    expect(w.engine.calls).toBe(callsBefore + 1);
    expect((await w.store.transcriptions.getTranscription(long.transcriptionId))?.text).toBe(
      'w1 w2 w3 w4 w5 w6 w7 w8',
    );
    expect(await w.store.tasks.getTask(long.id)).toMatchObject({ preemptedCount: 1, attempts: 1 });
  });

  it("with --preempt=never lets the running task finish but starts no new one until Idle (the plan's rule)", async () => {
    const w = world({ preempt: 'never' });
    const running = await w.add('running.wav', { text: 'r', duration: 90, chunkSeconds: 30, msPerChunk: 20 });
    const waiting = await w.add('waiting.wav', { text: 'w' });
    // Wait until the engine is really at work on it: a task merely claimed when the state
    // changes goes back to the queue instead (see 'a recording that starts during a claim').
    const started = w.until(running.id, (t) => t.status === 'processing' && t.progress > 0);
    w.worker.start();
    await started;
    const finished = w.until(running.id, (t) => t.status === 'completed');
    w.recording.set('Processing');
    const done = await finished;
    expect(done.preemptedCount).toBe(0);
    const idle = w.worker.nextIdle();
    w.worker.wake();
    await idle;
    expect((await w.store.tasks.getTask(waiting.id))?.status).toBe('pending');
    const waitingDone = w.until(waiting.id, (t) => t.status === 'completed');
    w.recording.set('Idle');
    await waitingDone;
  });

  it('a recording that starts during a claim gets the engine: the claimed task goes back untouched', async () => {
    const w = world({ preempt: 'never' });
    const task = await w.add('claimed.wav', { text: 'x', duration: 60, msPerChunk: 5 });
    // Start recording the moment the claim announces the task, before the worker can use it.
    w.events.on('task-update', (t) => {
      if (t.id === task.id && t.status === 'processing') w.recording.set('Recording');
    });
    const back = w.until(task.id, (t) => t.status === 'pending');
    w.worker.start();
    expect(await back).toMatchObject({ attempts: 0, preemptedCount: 0, progress: 0 });
    await w.worker.engineFree();
    expect(w.engine.calls).toBe(0);
  });

  it('emits every progress change but writes progress to the database at most once a second', async () => {
    const w = world();
    const task = await w.add('steps.wav', { text: 'x', duration: 100, chunkSeconds: 1, msPerChunk: 0 });
    let writes = 0;
    const save = w.store.tasks.saveProgress.bind(w.store);
    w.store.tasks.saveProgress = async (...args) => {
      writes++;
      return save(...args);
    };
    const progress: number[] = [];
    w.events.on('task-update', (t) => {
      if (t.id === task.id && t.status === 'processing') progress.push(t.progress);
    });
    // Drive progress by hand: the manual clock does not move, so throttled writes never happen.
    const claimed = await w.queue.claimNext('test-worker');
    if (!claimed) throw new Error('no task');
    for (let i = 1; i <= 50; i++) await w.queue.reportProgress(task.id, i / 100);
    expect(writes).toBe(0);
    w.clock.advance(1_000);
    await w.queue.reportProgress(task.id, 0.6);
    await w.queue.reportProgress(task.id, 0.7);
    expect(writes).toBe(1);
    await w.queue.reportProgress(task.id, 0.65); // never backwards
    expect(progress.at(-1)).toBe(0.7);
    expect(progress.length).toBeGreaterThanOrEqual(52);
    expect((await w.store.tasks.getTask(task.id))?.progress).toBe(0.6);
    await w.queue.releaseRun(task.id);
  });

  it('starts a replaced file over instead of resuming its stale checkpoint', async () => {
    const w = world();
    const task = await w.add('changing.wav', {
      text: 'old words here',
      duration: 120,
      chunkSeconds: 30,
      msPerChunk: 10,
    });
    const midway = w.until(task.id, (t) => t.checkpointSeconds >= 60);
    w.worker.start();
    await midway;
    const requeued = w.until(task.id, (t) => t.status === 'pending');
    await w.queue.pause();
    await requeued;
    writeFileSync(join(w.notesDir, 'changing.wav'), fakeAudio({ text: 'brand new recording', duration: 40 }));
    const done = w.until(task.id, (t) => t.status === 'completed');
    await w.queue.resume();
    await done;
    expect((await w.store.transcriptions.getTranscription(task.transcriptionId))?.text).toBe(
      'brand new recording',
    );
  });

  // The engine reads the file it opened: without a second look, the old audio's words would be
  // kept for the new audio, and the new audio never transcribed (found by tests/badAudio.test.ts).
  it('starts a file over when it is replaced while being transcribed, without spending an attempt', async () => {
    const w = world();
    const task = await w.add('replaced.wav', { text: 'old words here', duration: 120, chunkSeconds: 30 });
    const next = await w.add('next.wav', { text: 'the next file' });
    const firstChunk = w.until(task.id, (t) => t.checkpointSeconds > 0);
    w.worker.start();
    await firstChunk;
    replaceFile(join(w.notesDir, 'replaced.wav'), fakeAudio({ text: 'brand new recording', duration: 40 }));
    const done = await w.until(task.id, (t) => t.status === 'completed');
    expect(done).toMatchObject({ attempts: 1, errorKind: null });
    expect((await w.store.transcriptions.getTranscription(task.transcriptionId))?.text).toBe(
      'brand new recording',
    );
    expect(w.engine.calls).toBe(2);
    await w.until(next.id, (t) => t.status === 'completed');
  });

  it('does not fail a file that was rewritten while the engine failed on it: it starts it over', async () => {
    const w = world();
    const task = await w.add('rewritten.wav', {
      text: 'half written',
      duration: 60,
      chunkSeconds: 30,
      fail: 'unreadable',
      failAtChunk: 1,
    });
    const firstChunk = w.until(task.id, (t) => t.checkpointSeconds > 0);
    w.worker.start();
    await firstChunk;
    replaceFile(join(w.notesDir, 'rewritten.wav'), fakeAudio({ text: 'the whole recording', duration: 40 }));
    const done = await w.until(task.id, (t) => t.status === 'completed' || t.status === 'failed');
    expect(done).toMatchObject({ status: 'completed', attempts: 1 });
    expect((await w.store.transcriptions.getTranscription(task.transcriptionId))?.text).toBe(
      'the whole recording',
    );
  });

  it('keeps the transcript of a file deleted while it was being transcribed', async () => {
    const w = world();
    const task = await w.add('deleted.wav', {
      text: 'spoken before it went',
      duration: 60,
      chunkSeconds: 30,
    });
    const firstChunk = w.until(task.id, (t) => t.checkpointSeconds > 0);
    w.worker.start();
    await firstChunk;
    unlinkSync(join(w.notesDir, 'deleted.wav'));
    await w.until(task.id, (t) => t.status === 'completed');
    expect((await w.store.transcriptions.getTranscription(task.transcriptionId))?.text).toBe(
      'spoken before it went',
    );
  });
});

/** Replaces a file the way editors and sync tools do: a new file renamed over the old one. */
function replaceFile(path: string, content: string): void {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}
