import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineFailed, InvalidState, NotFound, UnreadableAudio } from '../../src/core/errors.js';
import { MAX_NODE_MISSES } from '../../src/core/missRule.js';
import { transcriptionIdFor } from '../../src/core/orphans.js';
import { MAX_FORGIVEN_CRASHES, nextStateAfterFailure } from '../../src/core/retryRules.js';
import type { HarkStore } from '../../src/core/store.js';
import type { NewAudio, Priority, TaskStatus } from '../../src/core/types.js';

/**
 * How a store under test is opened. The suite imports nothing of any one
 * store, so the SQLite and PostgreSQL stores run exactly the same tests.
 */
export interface StoreHarness {
  /** A fresh, empty store. */
  open(): Promise<HarkStore>;
  /** The same database opened again (a restart, or a second process beside the first). */
  reopen(): Promise<HarkStore>;
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const W = 'worker-a';

export function audio(path: string, priority: Priority = 0, extra: Partial<NewAudio> = {}): NewAudio {
  return {
    transcriptionId: transcriptionIdFor(path),
    audioPath: path,
    source: 'orphan',
    originalName: null,
    taskType: 'transcribe_orphan',
    priority,
    fileSize: 100,
    fileMtimeMs: T0 - 60_000,
    ...extra,
  };
}

const transcript = (text: string) => ({
  text,
  segments: [{ start: 0, end: 1.5, text }],
  duration: 1.5,
  language: 'en',
});

/**
 * The behaviour every HarkStore must have, whatever holds the data, one
 * describe block per aggregate. Run against SQLite now; a PostgreSQL store
 * runs the same suite.
 */
export function storeContract(name: string, makeHarness: () => StoreHarness): void {
  describe(`HarkStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: HarkStore;

    beforeEach(async () => {
      harness = makeHarness();
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
      await harness.cleanup();
    });

    async function claimed(now = T0) {
      const task = await store.tasks.claimNext(W, now);
      if (!task) throw new Error('expected a task to claim');
      return task;
    }

    describe('tasks', () => {
      it('adds a task idempotently: the same audio is never queued twice', async () => {
        const first = await store.tasks.addTask(audio('a.wav'), T0, 2);
        expect(first.created).toBe(true);
        expect(first.task).toMatchObject({
          status: 'pending',
          audioPath: 'a.wav',
          priority: 0,
          attempts: 0,
          maxRetries: 2,
          preemptedCount: 0,
          progress: 0,
        });
        const again = await store.tasks.addTask(audio('a.wav'), T0 + 5, 2);
        expect(again).toEqual({ task: first.task, created: false });
        expect(await store.tasks.addTasks([audio('a.wav'), audio('b.wav'), audio('b.wav')], T0, 2)).toBe(1);
        expect((await store.tasks.getCounts()).pending).toBe(2);
        expect(await store.transcriptions.knownAudioPaths()).toEqual(new Set(['a.wav', 'b.wav']));
      });

      it("keeps a task's language choice through a restart, and a task without one has none", async () => {
        const choice = { language: 'de', translate: true };
        await store.tasks.addTask(audio('de.wav', 1, { language: choice }), T0, 2);
        await store.tasks.addTasks(
          [audio('plain.wav'), audio('fr.wav', 0, { language: { language: 'fr' } })],
          T0 + 1,
          2,
        );
        await store.close();
        store = await harness.reopen();
        const first = await claimed(T0 + 10);
        expect(first).toMatchObject({ audioPath: 'de.wav', language: choice });
        const rest = [await claimed(T0 + 10), await claimed(T0 + 10)];
        expect(Object.fromEntries(rest.map((task) => [task.audioPath, task.language]))).toEqual({
          'plain.wav': {},
          'fr.wav': { language: 'fr' },
        });
        expect((await store.tasks.getTask(first.id))?.language).toEqual(choice);
      });

      it("keeps each segment's word times in the stored segments, through a checkpoint and the completion", async () => {
        await store.tasks.addTask(audio('words.wav'), T0, 2);
        const task = await claimed();
        const words = [
          { start: 0.1, end: 0.5, text: 'Hello' },
          { start: 0.6, end: 1.2, text: 'there.' },
        ];
        const segment = { start: 0.1, end: 1.2, text: 'Hello there.', words };
        await store.tasks.saveCheckpoint(
          task.id,
          W,
          { index: 0, start: 0, end: 1.5, segments: [segment], progress: 0.5 },
          0.5,
          T0 + 1,
        );
        expect((await store.tasks.loadCheckpoint(task.id)).segments).toEqual([segment]);
        await store.tasks.completeTask({
          taskId: task.id,
          workerId: W,
          transcript: { text: 'Hello there.', segments: [segment], duration: 1.5, language: 'en' },
          outcome: 'complete',
          engine: 'whisper:test',
          sidecarPath: null,
          now: T0 + 2,
        });
        expect((await store.transcriptions.getTranscription(task.transcriptionId))?.segments).toEqual([
          segment,
        ]);
      });

      it('does not queue audio whose transcription is already finished', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        const task = await claimed();
        await store.tasks.completeTask({
          taskId: task.id,
          workerId: W,
          transcript: transcript('hi'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0,
        });
        expect(await store.tasks.addTask(audio('a.wav'), T0, 2)).toEqual({ task: null, created: false });
      });

      it('claims by priority, then queue order, and counts the attempt at claim time', async () => {
        await store.tasks.addTask(audio('low-old.wav', 0), T0, 2);
        await store.tasks.addTask(audio('high.wav', 2), T0 + 1, 2);
        await store.tasks.addTask(audio('normal.wav', 1), T0 + 2, 2);
        await store.tasks.addTask(audio('low-new.wav', 0), T0 + 3, 2);
        const order: string[] = [];
        for (let i = 0; i < 4; i++) {
          const task = await claimed(T0 + 10);
          expect(task).toMatchObject({ status: 'processing', attempts: 1, lockedBy: W, startedAt: T0 + 10 });
          order.push(task.audioPath);
        }
        expect(order).toEqual(['high.wav', 'normal.wav', 'low-old.wav', 'low-new.wav']);
        expect(await store.tasks.claimNext(W, T0 + 10)).toBeNull();
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 0, processing: 4 });
      });

      it('--parallel: a short claim takes the next task only when its probed length is short', async () => {
        await store.tasks.addTask(audio('long.wav', 0), T0, 2);
        await store.tasks.addTask(audio('short.wav', 0), T0 + 1, 2);
        const short = { maxDurationSeconds: 60 };
        // Lengths unknown: nothing is short yet; the probe list is in claim order.
        expect(await store.tasks.claimNext(W, T0 + 10, undefined, short)).toBeNull();
        expect((await store.tasks.unknownDurations(5)).map((n) => n.audioPath)).toEqual([
          'long.wav',
          'short.wav',
        ]);
        await store.transcriptions.setAudioDuration(transcriptionIdFor('long.wav'), 600);
        await store.transcriptions.setAudioDuration(transcriptionIdFor('short.wav'), 12.5);
        await store.transcriptions.setAudioDuration(transcriptionIdFor('short.wav'), 99); // known: kept
        expect(await store.tasks.unknownDurations(5)).toEqual([]);
        // The long task at the head is never overtaken by a short claim.
        expect(await store.tasks.claimNext(W, T0 + 10, undefined, short)).toBeNull();
        const head = await claimed(T0 + 10);
        expect(head).toMatchObject({ audioPath: 'long.wav', duration: 600 });
        const next = await store.tasks.claimNext(W, T0 + 10, undefined, short);
        expect(next).toMatchObject({
          audioPath: 'short.wav',
          duration: 12.5,
          status: 'processing',
          attempts: 1,
        });
        expect(await store.tasks.claimNext(W, T0 + 10, undefined, short)).toBeNull();
      });

      it('claims nothing while paused, and the pause is persisted', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.settings.setPause({ paused: true, reason: 'user', since: T0 });
        expect(await store.tasks.claimNext(W, T0)).toBeNull();
        await store.close();
        store = await harness.reopen();
        expect(await store.settings.getPause()).toEqual({ paused: true, reason: 'user', since: T0 });
        expect(await store.tasks.claimNext(W, T0)).toBeNull();
        await store.settings.setPause({ paused: false, reason: null, since: null });
        expect(await store.settings.getPause()).toEqual({ paused: false, reason: null, since: null });
        expect((await claimed()).audioPath).toBe('a.wav');
      });

      it('completes a task and its transcription in one step, only for the worker holding it', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        const task = await claimed();
        const input = {
          taskId: task.id,
          transcript: transcript('hello there'),
          outcome: 'complete' as const,
          engine: 'fake',
          sidecarPath: 'a.txt',
          now: T0 + 100,
        };
        expect(await store.tasks.completeTask({ ...input, workerId: 'someone-else' })).toBe(false);
        expect(await store.tasks.completeTask({ ...input, workerId: W })).toBe(true);
        expect(await store.tasks.completeTask({ ...input, workerId: W })).toBe(false);
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'completed',
          progress: 1,
          completedAt: T0 + 100,
          lockedBy: null,
        });
        expect(await store.transcriptions.getTranscription(task.transcriptionId)).toMatchObject({
          status: 'complete',
          text: 'hello there',
          segments: [{ start: 0, end: 1.5, text: 'hello there' }],
          duration: 1.5,
          engine: 'fake',
          transcribedAt: T0 + 100,
          sidecarPath: 'a.txt',
        });
        expect(await store.transcriptions.pendingSidecars()).toEqual([
          {
            transcriptionId: task.transcriptionId,
            audioPath: 'a.wav',
            sidecarPath: 'a.txt',
            text: 'hello there',
          },
        ]);
        await store.transcriptions.markSidecar(task.transcriptionId, 'written');
        expect(await store.transcriptions.pendingSidecars()).toEqual([]);
      });

      it('retries a transient failure after its backoff, and fails it once retries are spent', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 1);
        let task = await claimed();
        const error = new EngineFailed('engine crashed');
        expect(await store.tasks.failTask(task.id, W, nextStateAfterFailure(task, error, T0), T0)).toBe(true);
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'pending',
          availableAt: T0 + 10_000,
        });
        expect(await store.tasks.claimNext(W, T0 + 9_999)).toBeNull();
        expect(await store.tasks.nextAvailableAt(T0)).toBe(T0 + 10_000);
        task = await claimed(T0 + 10_000);
        expect(task.attempts).toBe(2);
        await store.tasks.failTask(task.id, W, nextStateAfterFailure(task, error, T0 + 10_000), T0 + 10_000);
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'failed',
          errorKind: 'engine_failed',
          errorMessage: 'engine crashed (gave up after 2 attempts)',
        });
        expect(await store.transcriptions.getTranscription(task.transcriptionId)).toMatchObject({
          status: 'failed',
          errorKind: 'engine_failed',
        });
        expect(await store.tasks.nextAvailableAt(T0)).toBeNull();
      });

      it('fails a permanent error at once', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 5);
        const task = await claimed();
        await store.tasks.failTask(
          task.id,
          W,
          nextStateAfterFailure(task, new UnreadableAudio('not audio'), T0),
          T0,
        );
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'failed',
          errorKind: 'unreadable_audio',
        });
      });

      it('gives an interrupted task back at the front of its priority without spending its attempt', async () => {
        await store.tasks.addTask(audio('first.wav'), T0, 2);
        await store.tasks.addTask(audio('second.wav'), T0 + 1, 2);
        const task = await claimed();
        expect(task.audioPath).toBe('first.wav');
        await store.tasks.addTask(audio('third.wav'), T0 + 2, 2);
        expect(await store.tasks.requeueTask(task.id, W, T0 + 5, { preempted: true })).toBe(true);
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'pending',
          attempts: 0,
          preemptedCount: 1,
        });
        expect((await claimed(T0 + 6)).id).toBe(task.id);
        expect(await store.tasks.requeueTask(task.id, W, T0 + 7, { preempted: false })).toBe(true);
        expect(await store.tasks.getTask(task.id)).toMatchObject({ attempts: 0, preemptedCount: 1 });
      });

      it("keeps a recording's own kind through claim, pre-emption and completion, first in line", async () => {
        await store.tasks.addTask(audio('found.wav'), T0, 2);
        const recording = audio('2026-11-28/143015-voice-note.webm', 2, {
          source: 'recording',
          taskType: 'transcribe_recording',
        });
        await store.tasks.addTask(recording, T0 + 1, 2);
        const task = await claimed(T0 + 2);
        expect(task).toMatchObject({ taskType: 'transcribe_recording', priority: 2 });
        expect(await store.tasks.requeueTask(task.id, W, T0 + 3, { preempted: true })).toBe(true);
        const again = await claimed(T0 + 4);
        expect(again).toMatchObject({ id: task.id, taskType: 'transcribe_recording', preemptedCount: 1 });
        const done = await store.tasks.completeTask({
          taskId: again.id,
          workerId: W,
          transcript: transcript('hello'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0 + 5,
        });
        expect(done).toBe(true);
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'completed',
          taskType: 'transcribe_recording',
        });
      });

      it('leaves a file one node cannot find for another, a while later, and fails it after a few misses', async () => {
        await store.tasks.addTask(audio('elsewhere.wav'), T0, 2);
        const task = await claimed();
        expect(await store.tasks.leaveForAnotherNode(task.id, 'other', T0 + 1)).toBeNull();
        expect(await store.tasks.leaveForAnotherNode(task.id, W, T0 + 1)).toMatchObject({
          status: 'pending',
          missCount: 1,
        });
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'pending',
          attempts: 0,
          lockedBy: null,
        });
        expect(await store.tasks.claimNext(W, T0 + 2)).toBeNull(); // the delay lets another node take it
        let now = T0 + 2;
        for (let miss = 2; miss <= MAX_NODE_MISSES; miss++) {
          now = ((await store.tasks.nextAvailableAt(now)) ?? now) + 1;
          const again = await store.tasks.claimNext(W, now);
          expect(again?.id).toBe(task.id);
          await store.tasks.leaveForAnotherNode(task.id, W, now);
        }
        const failed = await store.tasks.getTask(task.id);
        expect(failed).toMatchObject({ status: 'failed', errorKind: 'file_missing', attempts: 0 });
        expect(failed?.errorMessage).toMatch(/^No worker node could find elsewhere\.wav on its notes folder/);
        expect(await store.transcriptions.getTranscription(task.transcriptionId)).toMatchObject({
          status: 'failed',
        });
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 0, processing: 0, failed: 1 });
      });

      it('recovers tasks a dead process left processing at once, and fails one that keeps crashing it', async () => {
        await store.tasks.addTask(audio('victim.wav'), T0, 2);
        await store.tasks.addTask(audio('poison.wav'), T0 + 1, 2);
        const victim = await claimed();
        const recovered = await store.tasks.recoverAbandoned(T0 + 1);
        expect(recovered).toEqual({ requeued: 1, failed: 0 });
        expect(await store.tasks.getTask(victim.id)).toMatchObject({
          status: 'pending',
          attempts: 1,
          lockedBy: null,
        });
        // The victim finishes; the poison pill takes the process down at every attempt.
        const again = await claimed(T0 + 2);
        await store.tasks.completeTask({
          taskId: again.id,
          workerId: W,
          transcript: transcript('ok'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0 + 3,
        });
        for (let crash = 1; crash <= 3; crash++) {
          const poison = await claimed(T0 + 10 * crash);
          expect(poison.audioPath).toBe('poison.wav');
          expect(poison.attempts).toBe(crash);
          const report = await store.tasks.recoverAbandoned(T0 + 10 * crash + 1);
          expect(report).toEqual(crash < 3 ? { requeued: 1, failed: 0 } : { requeued: 0, failed: 1 });
        }
        const poison = (await store.tasks.listTasks({ status: 'failed', limit: 10 })).tasks[0];
        expect(poison).toMatchObject({ audioPath: 'poison.wav', status: 'failed', errorKind: 'crashed' });
        expect(poison?.errorMessage).toMatch(/stopped unexpectedly.*3 times/);
      });

      it('does not blame a crash on a task that had made progress since it was claimed', async () => {
        await store.tasks.addTask(audio('long.wav'), T0, 0);
        const task = await claimed();
        const chunk = {
          index: 0,
          start: 0,
          end: 30,
          segments: [{ start: 0, end: 30, text: 'part one' }],
          progress: 0.5,
        };
        expect(await store.tasks.saveCheckpoint(task.id, W, chunk, 0.5, T0)).toBe(true);
        expect(await store.tasks.recoverAbandoned(T0 + 1)).toEqual({ requeued: 1, failed: 0 });
        expect(await store.tasks.getTask(task.id)).toMatchObject({
          status: 'pending',
          attempts: 0,
          checkpointSeconds: 30,
        });
        // With no progress, the same crash counts: max_retries 0 means it fails now.
        await claimed(T0 + 2);
        expect(await store.tasks.recoverAbandoned(T0 + 3)).toEqual({ requeued: 0, failed: 1 });
      });

      it('does not blame a death while the engine child was hearing, a bounded number of times', async () => {
        await store.tasks.addTask(audio('short.wav'), T0, 2);
        // Five deaths with the child hearing: each attempt is given back (max_retries 2 would fail it at the third).
        for (let death = 1; death <= MAX_FORGIVEN_CRASHES; death++) {
          const task = await claimed(T0 + death);
          expect(await store.tasks.markEngineChild(task.id, 'someone-else', true)).toBe(false);
          expect(await store.tasks.markEngineChild(task.id, W, true)).toBe(true);
          expect(await store.tasks.recoverAbandoned(T0 + death)).toEqual({ requeued: 1, failed: 0 });
          expect(await store.tasks.getTask(task.id)).toMatchObject({ status: 'pending', attempts: 0 });
        }
        // Past the bound, such deaths count again, so no file can keep Hark in a crash loop.
        for (let death = 1; death <= 3; death++) {
          const task = await claimed(T0 + 10 + death);
          await store.tasks.markEngineChild(task.id, W, true);
          const report = await store.tasks.recoverAbandoned(T0 + 10 + death);
          expect(report).toEqual(death < 3 ? { requeued: 1, failed: 0 } : { requeued: 0, failed: 1 });
        }
      });

      it('blames a death after the engine child was done hearing (in Hark itself), and forgets a mark at claim', async () => {
        await store.tasks.addTask(audio('poison.wav'), T0, 0);
        const task = await claimed();
        await store.tasks.markEngineChild(task.id, W, true);
        await store.tasks.markEngineChild(task.id, W, false);
        expect(await store.tasks.recoverAbandoned(T0 + 1)).toEqual({ requeued: 0, failed: 1 });

        await store.tasks.addTask(audio('other.wav'), T0 + 2, 1);
        const first = await claimed(T0 + 3);
        await store.tasks.markEngineChild(first.id, W, true);
        // A mark left by an attempt that ended normally (given back here) does not carry over to the next claim.
        expect(await store.tasks.requeueTask(first.id, W, T0 + 4, { preempted: false })).toBe(true);
        await claimed(T0 + 5);
        expect(await store.tasks.recoverAbandoned(T0 + 6)).toEqual({ requeued: 1, failed: 0 });
        expect(await store.tasks.getTask(first.id)).toMatchObject({ attempts: 1 });
      });

      describe('leases', () => {
        const LEASE = 2_000;
        const complete = (taskId: number, workerId: string, text: string, now: number) =>
          store.tasks.completeTask({
            taskId,
            workerId,
            transcript: transcript(text),
            outcome: 'complete',
            engine: 'fake',
            sidecarPath: null,
            now,
          });

        it('reclaims a task only once its lease has lapsed, by the crash rule', async () => {
          await store.tasks.addTask(audio('a.wav'), T0, 2);
          const task = await store.tasks.claimNext(W, T0, LEASE);
          if (!task) throw new Error('expected a task');
          // Within the lease (and at its very last millisecond) the task is its holder's.
          expect(await store.tasks.reclaimExpired(T0 + LEASE)).toEqual({ requeued: 0, failed: 0 });
          expect(await store.tasks.reclaimExpired(T0 + LEASE + 1)).toEqual({ requeued: 1, failed: 0 });
          // The death counted (no progress, not in the engine child): as recoverAbandoned would.
          expect(await store.tasks.getTask(task.id)).toMatchObject({
            status: 'pending',
            attempts: 1,
            lockedBy: null,
          });
          expect(await store.tasks.reclaimExpired(T0 + 10 * LEASE)).toEqual({ requeued: 0, failed: 0 });
        });

        it('is renewed by the heartbeat, by progress and by checkpoints, only for the holder', async () => {
          await store.tasks.addTask(audio('a.wav'), T0, 2);
          const task = await store.tasks.claimNext(W, T0, LEASE);
          if (!task) throw new Error('expected a task');
          expect(await store.tasks.renewLease(task.id, 'someone-else', T0 + 1_000, LEASE)).toBe(false);
          expect(await store.tasks.renewLease(task.id, W, T0 + 1_000, LEASE)).toBe(true);
          expect(await store.tasks.reclaimExpired(T0 + 2_500)).toEqual({ requeued: 0, failed: 0 });
          expect(await store.tasks.saveProgress(task.id, W, 0.2, T0 + 2_900)).toBe(true);
          expect(await store.tasks.reclaimExpired(T0 + 4_500)).toEqual({ requeued: 0, failed: 0 });
          const chunk = { index: 0, start: 0, end: 5, segments: [], progress: 0.4 };
          expect(await store.tasks.saveCheckpoint(task.id, W, chunk, 0.4, T0 + 4_800)).toBe(true);
          expect(await store.tasks.reclaimExpired(T0 + 6_700)).toEqual({ requeued: 0, failed: 0 });
          expect(await store.tasks.reclaimExpired(T0 + 6_801)).toEqual({ requeued: 1, failed: 0 });
          // It had committed a chunk since its claim: the attempt is given back.
          expect(await store.tasks.getTask(task.id)).toMatchObject({ status: 'pending', attempts: 0 });
        });

        it('forgives a death inside the engine child, and fails a task whose deaths used its retries', async () => {
          await store.tasks.addTask(audio('short.wav'), T0, 0);
          let task = await store.tasks.claimNext(W, T0, LEASE);
          if (!task) throw new Error('expected a task');
          await store.tasks.markEngineChild(task.id, W, true);
          expect(await store.tasks.reclaimExpired(T0 + LEASE + 1)).toEqual({ requeued: 1, failed: 0 });
          expect(await store.tasks.getTask(task.id)).toMatchObject({ status: 'pending', attempts: 0 });
          task = await store.tasks.claimNext(W, T0 + 10_000, LEASE);
          if (!task) throw new Error('expected a task');
          expect(await store.tasks.reclaimExpired(T0 + 10_000 + LEASE + 1)).toEqual({
            requeued: 0,
            failed: 1,
          });
          expect(await store.tasks.getTask(task.id)).toMatchObject({
            status: 'failed',
            errorKind: 'crashed',
          });
        });

        it("refuses every late write of a reclaimed task's old holder, and keeps the new holder's result", async () => {
          await store.tasks.addTask(audio('a.wav'), T0, 2);
          const task = await store.tasks.claimNext('node-1', T0, LEASE);
          if (!task) throw new Error('expected a task');
          expect(await store.tasks.reclaimExpired(T0 + LEASE + 1)).toEqual({ requeued: 1, failed: 0 });
          // Reclaimed but not yet taken again: the old holder still owns nothing.
          expect(await store.tasks.renewLease(task.id, 'node-1', T0 + LEASE + 2, LEASE)).toBe(false);
          const again = await store.tasks.claimNext('node-2', T0 + LEASE + 3, LEASE);
          expect(again?.id).toBe(task.id);
          const late = T0 + LEASE + 4;
          const chunk = { index: 0, start: 0, end: 5, segments: [], progress: 0.5 };
          expect(await complete(task.id, 'node-1', 'late', late)).toBe(false);
          expect(await store.tasks.saveProgress(task.id, 'node-1', 0.9, late)).toBe(false);
          expect(await store.tasks.saveCheckpoint(task.id, 'node-1', chunk, 0.5, late)).toBe(false);
          expect(await store.tasks.renewLease(task.id, 'node-1', late, LEASE)).toBe(false);
          expect(await store.tasks.requeueTask(task.id, 'node-1', late, { preempted: false })).toBe(false);
          expect(
            await store.tasks.failTask(
              task.id,
              'node-1',
              nextStateAfterFailure(task, new EngineFailed('late'), late),
              late,
            ),
          ).toBe(false);
          expect(await store.tasks.getTask(task.id)).toMatchObject({
            status: 'processing',
            lockedBy: 'node-2',
            progress: 0,
            checkpointSeconds: 0,
          });
          expect(await complete(task.id, 'node-2', 'on time', late + 1)).toBe(true);
          expect(await complete(task.id, 'node-1', 'late', late + 2)).toBe(false);
          expect((await store.transcriptions.getTranscription(task.transcriptionId))?.text).toBe('on time');
        });

        it('leaves a lease of its own to a task whose claim took none (the default)', async () => {
          await store.tasks.addTask(audio('a.wav'), T0, 2);
          await claimed(T0);
          expect(await store.tasks.reclaimExpired(T0 + 59_000)).toEqual({ requeued: 0, failed: 0 });
          expect(await store.tasks.reclaimExpired(T0 + 60_001)).toEqual({ requeued: 1, failed: 0 });
        });
      });

      it('commits checkpoints chunk by chunk, in order, only for the holder', async () => {
        await store.tasks.addTask(audio('long.wav'), T0, 2);
        const task = await claimed();
        const chunk = (index: number) => ({
          index,
          start: index * 30,
          end: index * 30 + 30,
          segments: [{ start: index * 30, end: index * 30 + 30, text: `part ${index}` }],
          progress: (index + 1) / 4,
        });
        expect(await store.tasks.saveCheckpoint(task.id, W, chunk(0), 0.25, T0)).toBe(true);
        expect(await store.tasks.saveCheckpoint(task.id, W, chunk(0), 0.25, T0)).toBe(false); // already committed
        expect(await store.tasks.saveCheckpoint(task.id, W, chunk(2), 0.75, T0)).toBe(false); // out of order
        expect(await store.tasks.saveCheckpoint(task.id, 'other', chunk(1), 0.5, T0)).toBe(false);
        expect(await store.tasks.saveCheckpoint(task.id, W, chunk(1), 0.5, T0)).toBe(true);
        expect(await store.tasks.loadCheckpoint(task.id)).toEqual({
          seconds: 60,
          chunkCount: 2,
          segments: [chunk(0).segments[0], chunk(1).segments[0]],
        });
        expect(await store.tasks.getTask(task.id)).toMatchObject({ progress: 0.5, checkpointSeconds: 60 });
        await store.tasks.clearCheckpoint(task.id);
        expect(await store.tasks.loadCheckpoint(task.id)).toEqual({
          seconds: 0,
          chunkCount: 0,
          segments: [],
        });
      });

      it('keeps the prompt the last committed chunk left for the next window, and none after one that left none', async () => {
        await store.tasks.addTask(audio('prompted.wav'), T0, 2);
        const task = await claimed();
        const chunk = (index: number, nextPrompt: { text: string; language: string | null } | null) => ({
          index,
          start: index * 30,
          end: index * 30 + 30,
          segments: [{ start: index * 30, end: index * 30 + 30, text: `part ${index}` }],
          progress: (index + 1) / 4,
          nextPrompt,
        });
        await store.tasks.saveCheckpoint(task.id, W, chunk(0, { text: 'part 0', language: 'en' }), 0.25, T0);
        expect((await store.tasks.loadCheckpoint(task.id)).nextPrompt).toEqual({
          text: 'part 0',
          language: 'en',
        });
        await store.tasks.saveCheckpoint(task.id, W, chunk(1, null), 0.5, T0);
        const checkpoint = await store.tasks.loadCheckpoint(task.id);
        expect(checkpoint.nextPrompt ?? null).toBeNull();
        expect(checkpoint.segments.map((segment) => segment.text)).toEqual(['part 0', 'part 1']);
      });

      it('keeps the language each committed window was heard in, for the resumed task to count', async () => {
        await store.tasks.addTask(audio('languages.wav'), T0, 2);
        const task = await claimed();
        const chunk = (index: number, language: string | null) => ({
          index,
          start: index * 30,
          end: index * 30 + 30,
          segments: [],
          progress: (index + 1) / 4,
          language,
        });
        await store.tasks.saveCheckpoint(task.id, W, chunk(0, 'de'), 0.25, T0);
        await store.tasks.saveCheckpoint(task.id, W, chunk(1, null), 0.5, T0);
        await store.tasks.saveCheckpoint(task.id, W, chunk(2, 'fr'), 0.75, T0);
        expect((await store.tasks.loadCheckpoint(task.id)).languages).toEqual(['de', 'fr']);
      });

      it('retries failed and cancelled tasks with fresh retries; refuses others', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 0);
        await store.tasks.addTask(audio('b.wav'), T0 + 1, 0);
        await store.tasks.addTask(audio('c.wav'), T0 + 2, 0);
        for (let i = 0; i < 2; i++) {
          const task = await claimed(T0 + 5);
          await store.tasks.failTask(task.id, W, nextStateAfterFailure(task, new EngineFailed('x'), T0), T0);
        }
        const c = (await store.tasks.listTasks({ status: 'pending', limit: 5 })).tasks[0];
        if (!c) throw new Error('expected c');
        await expect(store.tasks.retryTask(c.id, T0)).rejects.toBeInstanceOf(InvalidState);
        await expect(store.tasks.retryTask(9999, T0)).rejects.toBeInstanceOf(NotFound);
        const failed = (await store.tasks.listTasks({ status: 'failed', limit: 5 })).tasks;
        const first = failed[0];
        if (!first) throw new Error('expected a failed task');
        expect(await store.tasks.retryTask(first.id, T0 + 10)).toMatchObject({
          status: 'pending',
          attempts: 0,
          errorMessage: null,
        });
        expect((await store.transcriptions.getTranscription(first.transcriptionId))?.status).toBe('pending');
        expect(await store.tasks.retryAllFailed(T0 + 10)).toBe(1);
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 3, failed: 0 });
        await store.tasks.cancelTask(c.id, T0 + 11);
        expect((await store.tasks.retryTask(c.id, T0 + 12)).status).toBe('pending');
      });

      it('cancels pending and running tasks; a cancelled task ignores its old worker', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.tasks.addTask(audio('b.wav'), T0 + 1, 2);
        const running = await claimed();
        const pending = (await store.tasks.listTasks({ status: 'pending', limit: 1 })).tasks[0];
        if (!pending) throw new Error('expected b');
        expect(await store.tasks.cancelTask(pending.id, T0 + 5)).toMatchObject({
          status: 'cancelled',
          completedAt: T0 + 5,
        });
        expect(await store.tasks.cancelTask(running.id, T0 + 6)).toMatchObject({
          status: 'cancelled',
          lockedBy: null,
        });
        expect(await store.tasks.saveProgress(running.id, W, 0.5, T0 + 7)).toBe(false);
        expect(
          await store.tasks.completeTask({
            taskId: running.id,
            workerId: W,
            transcript: transcript('late'),
            outcome: 'complete',
            engine: 'fake',
            sidecarPath: null,
            now: T0 + 8,
          }),
        ).toBe(false);
        expect((await store.tasks.getTask(running.id))?.status).toBe('cancelled');
        await expect(store.tasks.cancelTask(running.id, T0)).rejects.toBeInstanceOf(InvalidState);
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 0, processing: 0, cancelled: 2 });
      });

      it('cancels every pending task at once and leaves the running one', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.tasks.addTask(audio('b.wav'), T0 + 1, 2);
        await store.tasks.addTask(audio('c.wav'), T0 + 2, 2);
        const running = await claimed();
        expect(await store.tasks.cancelPending(T0 + 5)).toBe(2);
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 0, processing: 1, cancelled: 2 });
        expect((await store.tasks.getTask(running.id))?.status).toBe('processing');
        expect(await store.tasks.cancelPending(T0 + 6)).toBe(0);
      });

      it('moves a task to the front, past higher priorities, and out of backoff', async () => {
        await store.tasks.addTask(audio('high.wav', 2), T0, 2);
        await store.tasks.addTask(audio('low-1.wav', 0), T0 + 1, 2);
        await store.tasks.addTask(audio('low-2.wav', 0), T0 + 2, 2);
        const low2 = (await store.tasks.listTasks({ status: 'pending', limit: 10 })).tasks.find(
          (t) => t.audioPath === 'low-2.wav',
        );
        if (!low2) throw new Error('expected low-2');
        const moved = await store.tasks.moveToFront(low2.id, T0 + 3);
        expect(moved.priority).toBe(2);
        const order = [];
        for (let i = 0; i < 3; i++) order.push((await claimed(T0 + 4)).audioPath);
        expect(order).toEqual(['low-2.wav', 'high.wav', 'low-1.wav']);
        await expect(store.tasks.moveToFront(low2.id, T0)).rejects.toBeInstanceOf(InvalidState);
        await expect(store.tasks.moveToFront(424242, T0)).rejects.toBeInstanceOf(NotFound);
      });

      it('clears completed tasks and keeps their transcriptions', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.tasks.addTask(audio('b.wav'), T0 + 1, 2);
        const a = await claimed();
        await store.tasks.completeTask({
          taskId: a.id,
          workerId: W,
          transcript: transcript('done'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0,
        });
        expect(await store.tasks.clearCompleted()).toBe(1);
        expect(await store.tasks.getTask(a.id)).toBeNull();
        expect((await store.transcriptions.getTranscription(a.transcriptionId))?.text).toBe('done');
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 1, completed: 0 });
      });

      it('prunes completed tasks finished before a time, and nothing else', async () => {
        await store.tasks.addTask(audio('old.wav'), T0, 2);
        await store.tasks.addTask(audio('new.wav'), T0 + 1, 2);
        await store.tasks.addTask(audio('failed.wav'), T0 + 2, 2);
        const finish = async (at: number, text: string) => {
          const task = await claimed(at);
          await store.tasks.completeTask({
            taskId: task.id,
            workerId: W,
            transcript: transcript(text),
            outcome: 'complete',
            engine: 'fake',
            sidecarPath: null,
            now: at,
          });
          return task;
        };
        const old = await finish(T0 + 10, 'old');
        const recent = await finish(T0 + 5_000, 'recent');
        const failed = await claimed(T0 + 20);
        await store.tasks.failTask(
          failed.id,
          W,
          { status: 'failed', errorKind: 'unreadable_audio', errorMessage: 'bad' },
          T0 + 20,
        );
        expect(await store.tasks.pruneCompleted(T0 + 1_000)).toBe(1);
        expect(await store.tasks.getTask(old.id)).toBeNull();
        expect(await store.tasks.getTask(recent.id)).not.toBeNull();
        expect(await store.tasks.getTask(failed.id)).not.toBeNull();
        expect((await store.transcriptions.getTranscription(old.transcriptionId))?.text).toBe('old');
        expect(await store.tasks.getCounts()).toMatchObject({ completed: 1, failed: 1 });
        expect(await store.tasks.pruneCompleted(T0 + 1_000)).toBe(0);
      });

      it('clears cancelled tasks only when asked, and keeps their transcriptions', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.tasks.addTask(audio('b.wav'), T0 + 1, 2);
        const a = await claimed();
        await store.tasks.cancelTask(a.id, T0 + 2);
        expect(await store.tasks.clearCompleted()).toBe(0);
        expect(await store.tasks.clearCompleted('cancelled')).toBe(1);
        expect(await store.tasks.getTask(a.id)).toBeNull();
        expect(await store.transcriptions.getTranscription(a.transcriptionId)).not.toBeNull();
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 1, cancelled: 0 });
      });

      it('deletes one finished task, never a live one, and keeps its transcription', async () => {
        await store.tasks.addTask(audio('done.wav'), T0, 2);
        await store.tasks.addTask(audio('bad.wav'), T0 + 1, 2);
        await store.tasks.addTask(audio('gone.wav'), T0 + 2, 2);
        await store.tasks.addTask(audio('live.wav'), T0 + 3, 2);
        const done = await claimed(T0 + 10);
        await store.tasks.completeTask({
          taskId: done.id,
          workerId: W,
          transcript: transcript('kept'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0 + 4,
        });
        const bad = await claimed(T0 + 10);
        await store.tasks.failTask(
          bad.id,
          W,
          nextStateAfterFailure(bad, new UnreadableAudio('x'), T0),
          T0 + 5,
        );
        const gone = await claimed(T0 + 10);
        await store.tasks.cancelTask(gone.id, T0 + 6);
        const live = await claimed(T0 + 10);
        expect(await store.tasks.getCounts()).toMatchObject({
          completed: 1,
          failed: 1,
          cancelled: 1,
          processing: 1,
        });

        expect((await store.tasks.deleteTask(done.id)).status).toBe('completed');
        expect((await store.tasks.deleteTask(bad.id)).status).toBe('failed');
        expect((await store.tasks.deleteTask(gone.id)).status).toBe('cancelled');
        for (const id of [done.id, bad.id, gone.id]) expect(await store.tasks.getTask(id)).toBeNull();
        expect((await store.transcriptions.getTranscription(done.transcriptionId))?.text).toBe('kept');
        expect(await store.transcriptions.getTranscription(bad.transcriptionId)).not.toBeNull();
        expect(await store.tasks.getCounts()).toMatchObject({
          pending: 0,
          processing: 1,
          completed: 0,
          failed: 0,
          cancelled: 0,
        });

        await expect(store.tasks.deleteTask(live.id)).rejects.toBeInstanceOf(InvalidState);
        await store.tasks.requeueTask(live.id, W, T0 + 7, { preempted: false });
        await expect(store.tasks.deleteTask(live.id)).rejects.toBeInstanceOf(InvalidState);
        expect((await store.tasks.getTask(live.id))?.status).toBe('pending');
        await expect(store.tasks.deleteTask(done.id)).rejects.toBeInstanceOf(NotFound);
        await expect(store.tasks.deleteTask(424242)).rejects.toBeInstanceOf(NotFound);
      });

      it('deletes selected finished tasks all or none: a live one among them refuses the lot', async () => {
        await store.tasks.addTask(audio('done.wav'), T0, 2);
        await store.tasks.addTask(audio('gone.wav'), T0 + 1, 2);
        await store.tasks.addTask(audio('live.wav'), T0 + 2, 2);
        const done = await claimed(T0 + 10);
        await store.tasks.completeTask({
          taskId: done.id,
          workerId: W,
          transcript: transcript('kept'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0 + 4,
        });
        const gone = await claimed(T0 + 10);
        await store.tasks.cancelTask(gone.id, T0 + 6);
        const live = (await store.tasks.listTasks({ status: 'pending', limit: 5 })).tasks[0];
        if (!live) throw new Error('expected a pending task');

        await expect(store.tasks.deleteTasks([done.id, live.id])).rejects.toBeInstanceOf(InvalidState);
        expect((await store.tasks.getTask(done.id))?.status).toBe('completed');
        expect(await store.tasks.deleteTasks([done.id, gone.id, 424242])).toBe(2);
        expect(await store.tasks.getCounts()).toMatchObject({ pending: 1, completed: 0, cancelled: 0 });
        expect((await store.transcriptions.getTranscription(done.transcriptionId))?.text).toBe('kept');
      });

      it('sums the pending audio once measured, past each checkpoint; a transcript keeps its own length', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.tasks.addTask(audio('b.wav'), T0 + 1, 2);
        await store.tasks.addTask(audio('c.wav'), T0 + 2, 2);
        expect(await store.tasks.pendingAudioTotals()).toEqual({ knownSeconds: 0, known: 0, unknown: 3 });
        expect((await store.tasks.unknownDurations(5)).map((p) => p.audioPath)).toEqual([
          'a.wav',
          'b.wav',
          'c.wav',
        ]);
        await store.transcriptions.setAudioDuration(transcriptionIdFor('a.wav'), 61.5);
        await store.transcriptions.setAudioDuration(transcriptionIdFor('a.wav'), 99);
        await store.transcriptions.setAudioDuration(transcriptionIdFor('b.wav'), 40);
        expect(await store.tasks.pendingAudioTotals()).toEqual({ knownSeconds: 101.5, known: 2, unknown: 1 });
        const running = await claimed(T0 + 10);
        expect(running.duration).toBe(61.5);
        expect(await store.tasks.pendingAudioTotals()).toEqual({ knownSeconds: 40, known: 1, unknown: 1 });
        // A task pre-empted at 30 s of its 40 has 10 s left to hear.
        const second = await claimed(T0 + 11);
        const window = { index: 0, start: 0, end: 30, segments: [], progress: 0.75 };
        expect(await store.tasks.saveCheckpoint(second.id, W, window, 0.75, T0 + 12)).toBe(true);
        expect(await store.tasks.requeueTask(second.id, W, T0 + 13, { preempted: true })).toBe(true);
        expect(await store.tasks.pendingAudioTotals()).toEqual({ knownSeconds: 10, known: 1, unknown: 1 });
      });

      it('keeps counts equal to the rows through every kind of change', async () => {
        for (let i = 0; i < 30; i++)
          await store.tasks.addTask(audio(`f${i}.wav`, (i % 3) as Priority), T0 + i, 1);
        for (let i = 0; i < 20; i++) {
          const task = await claimed(T0 + 100);
          if (i % 4 === 0)
            await store.tasks.failTask(
              task.id,
              W,
              nextStateAfterFailure(task, new UnreadableAudio('x'), T0),
              T0,
            );
          else if (i % 4 === 1) await store.tasks.cancelTask(task.id, T0);
          else if (i % 4 === 2) await store.tasks.requeueTask(task.id, W, T0, { preempted: true });
          else
            await store.tasks.completeTask({
              taskId: task.id,
              workerId: W,
              transcript: transcript('x'),
              outcome: 'complete',
              engine: 'fake',
              sidecarPath: null,
              now: T0,
            });
        }
        await store.tasks.recoverAbandoned(T0 + 200);
        await store.tasks.clearCompleted();
        const failed = (await store.tasks.listTasks({ status: 'failed', limit: 1 })).tasks[0];
        if (failed) await store.tasks.deleteTask(failed.id);
        await store.tasks.clearCompleted('cancelled');
        const counts = await store.tasks.getCounts();
        for (const status of ['pending', 'processing', 'completed', 'failed', 'cancelled'] as TaskStatus[]) {
          let rows = 0;
          let cursor: string | null = null;
          do {
            const page = await store.tasks.listTasks({ status, limit: 7, cursor });
            rows += page.tasks.length;
            cursor = page.nextCursor;
          } while (cursor);
          expect(counts[status], status).toBe(rows);
        }
      });

      it('pages through tasks with cursors: each task once, in order', async () => {
        for (let i = 0; i < 23; i++)
          await store.tasks.addTask(audio(`p${i}.wav`, (i % 2) as Priority), T0 + i, 2);
        const seen: number[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.tasks.listTasks({ status: 'pending', limit: 5, cursor });
          seen.push(...page.tasks.map((t) => t.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toHaveLength(23);
        expect(new Set(seen).size).toBe(23);
        const claimOrder: number[] = [];
        for (let i = 0; i < 23; i++) claimOrder.push((await claimed(T0 + 100)).id);
        expect(seen).toEqual(claimOrder);
        const all = await store.tasks.listTasks({ limit: 100 });
        expect(all.tasks.map((t) => t.id)).toEqual([...claimOrder].sort((a, b) => b - a));
      });
    });

    describe('transcriptions', () => {
      it('lists recordings and finished transcriptions, newest first, and searches them', async () => {
        await store.transcriptions.createTranscription({
          source: 'recording',
          id: 'rec1',
          audioPath: '2026-11-28/101500-voice-note.webm',
          recordedAt: T0,
          now: T0,
        });
        await store.tasks.addTask(audio('pending-orphan.wav', 0, { fileMtimeMs: T0 + 10 }), T0, 2);
        await store.tasks.addTask(audio('done.wav', 0, { fileMtimeMs: T0 + 20 }), T0, 2);
        const done = (await store.tasks.listTasks({ status: 'pending', limit: 10 })).tasks.find(
          (t) => t.audioPath === 'done.wav',
        );
        if (!done) throw new Error('expected done.wav');
        await store.tasks.moveToFront(done.id, T0);
        const task = await claimed();
        await store.tasks.completeTask({
          taskId: task.id,
          workerId: W,
          transcript: transcript('buy café au lait tomorrow'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0,
        });
        const list = await store.transcriptions.listTranscriptions({ limit: 10 });
        expect(list.transcriptions.map((t) => t.id)).toEqual([task.transcriptionId, 'rec1']);
        const found = await store.transcriptions.listTranscriptions({ q: 'cafe tomor', limit: 10 });
        expect(found.transcriptions.map((t) => t.id)).toEqual([task.transcriptionId]);
        expect(
          (await store.transcriptions.listTranscriptions({ q: 'voice note', limit: 10 })).transcriptions.map(
            (t) => t.id,
          ),
        ).toEqual(['rec1']);
        expect(
          (await store.transcriptions.listTranscriptions({ q: '"); DROP', limit: 10 })).transcriptions,
        ).toEqual([]);
        const completed = await store.transcriptions.completeRecording({
          id: 'rec1',
          transcript: transcript('my own words'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: '2026-11-28/101500-voice-note.txt',
          now: T0 + 1,
        });
        expect(completed).toMatchObject({ status: 'complete', text: 'my own words', source: 'recording' });
        const page1 = await store.transcriptions.listTranscriptions({ limit: 1 });
        expect(page1.nextCursor).not.toBeNull();
        const page2 = await store.transcriptions.listTranscriptions({ limit: 1, cursor: page1.nextCursor });
        expect([...page1.transcriptions, ...page2.transcriptions].map((t) => t.id)).toEqual([
          task.transcriptionId,
          'rec1',
        ]);
      });

      it('records fingerprints, adopts sidecars, tracks sidecar files to write, and deletes', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.transcriptions.setFileFingerprint(transcriptionIdFor('a.wav'), 4_096, T0 + 5);
        expect(await store.transcriptions.getTranscription(transcriptionIdFor('a.wav'))).toMatchObject({
          fileSize: 4_096,
          fileMtimeMs: T0 + 5,
        });
        const sidecar = {
          transcriptionId: transcriptionIdFor('b.wav'),
          audioPath: 'b.wav',
          source: 'orphan' as const,
          originalName: null,
          sidecarPath: 'b.txt',
          text: 'found beside it',
        };
        expect(await store.transcriptions.adoptSidecars([sidecar, sidecar], T0)).toBe(1);
        expect(await store.transcriptions.adoptSidecars([sidecar], T0)).toBe(0);
        expect(await store.transcriptions.getTranscription(sidecar.transcriptionId)).toMatchObject({
          status: 'complete',
          text: 'found beside it',
          sidecarPath: 'b.txt',
        });
        expect(await store.transcriptions.knownAudioPaths()).toEqual(new Set(['a.wav', 'b.wav']));
        expect(await store.transcriptions.pendingSidecars()).toEqual([]);
        const task = await claimed();
        await store.tasks.completeTask({
          taskId: task.id,
          workerId: W,
          transcript: transcript('words'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: 'a.txt',
          now: T0,
        });
        expect(await store.transcriptions.pendingSidecars()).toEqual([
          { transcriptionId: task.transcriptionId, audioPath: 'a.wav', sidecarPath: 'a.txt', text: 'words' },
        ]);
        await store.transcriptions.markSidecar(task.transcriptionId, 'written');
        expect(await store.transcriptions.pendingSidecars()).toEqual([]);
        await store.tasks.clearCompleted();
        await store.transcriptions.deleteTranscription(sidecar.transcriptionId);
        expect(await store.transcriptions.getTranscription(sidecar.transcriptionId)).toBeNull();
      });
    });

    describe('history', () => {
      it('keeps every attempt of a task, closing one a dead process left open as lost', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        const task = await claimed();
        const start = (at: number) =>
          store.history.startAttempt({
            taskId: task.id,
            transcriptionId: task.transcriptionId,
            worker: W,
            engine: 'whisper:base.en',
            startedAt: at,
          });
        const first = await start(T0);
        await store.history.endAttempt(first, {
          endedAt: T0 + 50,
          outcome: 'preempted',
          errorKind: null,
          audioSeconds: 30,
        });
        await start(T0 + 100); // its process dies: never ended
        const third = await start(T0 + 200);
        await store.history.endAttempt(third, {
          endedAt: T0 + 300,
          outcome: 'completed',
          errorKind: null,
          audioSeconds: 12.5,
        });
        await store.history.endAttempt(third, {
          endedAt: T0 + 999,
          outcome: 'failed',
          errorKind: 'x',
          audioSeconds: 0,
        });
        const attempts = await store.history.listAttempts(task.id);
        expect(attempts.map((a) => [a.startedAt, a.endedAt, a.outcome, a.audioSeconds])).toEqual([
          [T0, T0 + 50, 'preempted', 30],
          [T0 + 100, T0 + 200, 'lost', null],
          [T0 + 200, T0 + 300, 'completed', 12.5],
        ]);
        expect(attempts[0]).toMatchObject({
          taskId: task.id,
          transcriptionId: task.transcriptionId,
          worker: W,
          engine: 'whisper:base.en',
        });
        expect((await store.history.attemptsSince(T0 + 150)).map((a) => a.startedAt)).toEqual([T0 + 200]);
      });

      it('reads an engine and model’s latest completed attempts for its measured speed', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        const task = await claimed();
        const attempt = async (
          engine: string,
          at: number,
          outcome: 'completed' | 'preempted',
          audioSeconds: number,
        ) => {
          const id = await store.history.startAttempt({
            taskId: task.id,
            transcriptionId: task.transcriptionId,
            worker: W,
            engine,
            startedAt: at,
          });
          await store.history.endAttempt(id, { endedAt: at + 1_000, outcome, errorKind: null, audioSeconds });
        };
        await attempt('whisper:base.en', T0, 'completed', 10);
        await attempt('whisper:small.en', T0 + 2_000, 'completed', 20);
        await attempt('whisper:base.en', T0 + 4_000, 'preempted', 5);
        await attempt('whisper:base.en', T0 + 6_000, 'completed', 30);
        const speed = await store.history.recentSpeed('whisper:base.en', 5);
        expect(speed).toEqual([
          { startedAt: T0 + 6_000, endedAt: T0 + 7_000, audioSeconds: 30 },
          { startedAt: T0, endedAt: T0 + 1_000, audioSeconds: 10 },
        ]);
        expect(await store.history.recentSpeed('whisper:base.en', 1)).toHaveLength(1);
        expect(await store.history.recentSpeed('pocketsphinx', 5)).toEqual([]);
      });

      it('reads what the statistics draw on: transcribed audio and the spans of tasks', async () => {
        await store.tasks.addTask(audio('a.wav'), T0, 2);
        await store.tasks.addTask(audio('b.wav'), T0 + 1, 2);
        const a = await claimed(T0 + 10);
        await store.tasks.completeTask({
          taskId: a.id,
          workerId: W,
          transcript: transcript('a'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0 + 20,
        });
        expect(await store.history.totalAudioSeconds()).toBe(1.5);
        expect(await store.history.transcribedSince(T0)).toEqual([
          { transcribedAt: T0 + 20, duration: 1.5, engine: 'fake' },
        ]);
        expect(await store.history.transcribedSince(T0 + 21)).toEqual([]);
        const spans = await store.history.taskSpansSince(T0 + 21);
        expect(spans).toEqual([{ createdAt: T0 + 1, completedAt: null }]);
        expect((await store.history.taskSpansSince(T0)).length).toBe(2);
      });
    });

    describe('settings', () => {
      it('keeps settings', async () => {
        expect(await store.settings.getSetting('x')).toBeNull();
        await store.settings.setSetting('x', 'y');
        expect(await store.settings.getSetting('x')).toBe('y');
        await store.settings.setSetting('x', null);
        expect(await store.settings.getSetting('x')).toBeNull();
      });
    });

    describe('notes', () => {
      async function finished(path: string, text: string, extra: Partial<NewAudio> = {}) {
        await store.tasks.addTask(audio(path, 2, extra), T0, 2);
        const task = await claimed();
        await store.tasks.completeTask({
          taskId: task.id,
          workerId: W,
          transcript: transcript(text),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: path.replace(/\.\w+$/, '.txt'),
          now: T0,
        });
        await store.transcriptions.markSidecar(task.transcriptionId, 'written');
        return task.transcriptionId;
      }
      const local = (y: number, mo: number, d: number, h = 0, mi = 0) =>
        new Date(y, mo - 1, d, h, mi).getTime();

      it('gives new notes a title, an origin and the recording time their path carries', async () => {
        await store.tasks.addTask(audio('2024-05-05/071500-voice-note.wav'), T0, 2);
        await store.tasks.addTask(
          audio('imports/Meeting (2).m4a', 1, {
            originalName: 'Meeting.m4a',
            source: 'imported',
            origin: 'imported',
          }),
          T0,
          2,
        );
        await store.transcriptions.createTranscription({
          source: 'recording',
          id: 'rec1',
          audioPath: '2026-11-28/101500-voice-note.webm',
          recordedAt: T0,
          now: T0,
        });
        await store.transcriptions.adoptSidecars(
          [
            {
              transcriptionId: 'side',
              audioPath: 'Recordings/20240612_184500.m4a',
              source: 'imported',
              originalName: '20240612_184500.m4a',
              sidecarPath: 'Recordings/20240612_184500.txt',
              text: 'adopted',
            },
          ],
          T0,
        );
        const get = (id: string) => store.transcriptions.getTranscription(id);
        expect(await get(transcriptionIdFor('2024-05-05/071500-voice-note.wav'))).toMatchObject({
          title: '071500-voice-note',
          origin: 'found',
          recordedAt: local(2024, 5, 5, 7, 15),
          edited: false,
          audioMissing: false,
          trashedAt: null,
        });
        expect(await get(transcriptionIdFor('imports/Meeting (2).m4a'))).toMatchObject({
          title: 'Meeting',
          origin: 'imported',
          recordedAt: T0 - 60_000,
        });
        expect(await get('rec1')).toMatchObject({
          title: '101500-voice-note',
          origin: 'recorded',
          recordedAt: T0,
        });
        expect(await get('side')).toMatchObject({ origin: 'found', recordedAt: local(2024, 6, 12, 18, 45) });
      });

      it('renames and edits a note: marked edited, Hark’s sidecar to rewrite, search sees it', async () => {
        const id = await finished('walk.wav', 'the first words');
        const renamed = await store.transcriptions.updateNote(id, { title: 'Evening walk' }, T0 + 1);
        expect(renamed).toMatchObject({ title: 'Evening walk', edited: false, sidecarState: 'written' });
        const segments = [{ start: 0, end: 1, text: 'corrected words' }];
        const edited = await store.transcriptions.updateNote(
          id,
          { text: 'corrected words', segments },
          T0 + 2,
        );
        expect(edited).toMatchObject({
          text: 'corrected words',
          segments,
          edited: true,
          editedAt: T0 + 2,
          sidecarState: 'pending',
        });
        expect((await store.transcriptions.pendingSidecars()).map((job) => job.text)).toEqual([
          'corrected words',
        ]);
        const search = async (q: string) =>
          (await store.transcriptions.listTranscriptions({ q, limit: 10 })).transcriptions.map((t) => t.id);
        expect(await search('corrected')).toEqual([id]);
        expect(await search('first')).toEqual([]);
        expect(await search('evening')).toEqual([id]);
        await expect(store.transcriptions.updateNote('nope', { title: 'x' }, T0)).rejects.toBeInstanceOf(
          NotFound,
        );
      });

      it('keeps an edit when the note is transcribed again: the new text is the alternative', async () => {
        const id = await finished('again.wav', 'engine text');
        await store.transcriptions.updateNote(id, { text: 'my text' }, T0 + 1);
        const again = await store.transcriptions.completeRecording({
          id,
          transcript: transcript('newer engine text'),
          outcome: 'complete',
          engine: 'fake',
          sidecarPath: null,
          now: T0 + 2,
        });
        expect(again).toMatchObject({
          text: 'my text',
          edited: true,
          alternativeText: 'newer engine text',
          alternativeSegments: [{ start: 0, end: 1.5, text: 'newer engine text' }],
        });
      });

      it('puts the kept transcript in place of the edit, or lets it go, once', async () => {
        const transcribeAgain = (id: string, text: string) =>
          store.transcriptions.completeRecording({
            id,
            transcript: transcript(text),
            outcome: 'complete',
            engine: 'fake',
            sidecarPath: null,
            now: T0 + 2,
          });
        const used = await finished('use.wav', 'engine text');
        await store.transcriptions.updateNote(used, { text: 'my text' }, T0 + 1);
        await transcribeAgain(used, 'kettle and filters');
        expect(await store.transcriptions.resolveAlternative(used, 'use')).toMatchObject({
          text: 'kettle and filters',
          segments: [{ start: 0, end: 1.5, text: 'kettle and filters' }],
          edited: false,
          alternativeText: null,
          alternativeSegments: null,
        });
        const found = await store.transcriptions.listTranscriptions({ limit: 5, q: 'kettle' });
        expect(found.transcriptions.map((note) => note.id)).toEqual([used]);
        await expect(store.transcriptions.resolveAlternative(used, 'dismiss')).rejects.toBeInstanceOf(
          InvalidState,
        );

        const dismissed = await finished('dismiss.wav', 'engine text');
        await store.transcriptions.updateNote(dismissed, { text: 'my own words' }, T0 + 1);
        await transcribeAgain(dismissed, 'newer engine text');
        expect(await store.transcriptions.resolveAlternative(dismissed, 'dismiss')).toMatchObject({
          text: 'my own words',
          edited: true,
          alternativeText: null,
        });
        await expect(
          store.transcriptions.resolveAlternative('00000000000000000000', 'use'),
        ).rejects.toBeInstanceOf(NotFound);
      });

      it('trashes a note out of the list and search, lists the trash, restores it', async () => {
        const id = await finished('trash me.wav', 'rubbish words');
        await store.tasks.addTask(audio('waiting.wav'), T0, 2);
        const waiting = transcriptionIdFor('waiting.wav');
        const trashed = await store.transcriptions.trashNote(
          id,
          { audioPath: `${id}/trash me.wav`, sidecarPath: `${id}/trash me.txt` },
          T0 + 5,
        );
        expect(trashed).toMatchObject({ trashedAt: T0 + 5, trashAudioPath: `${id}/trash me.wav` });
        expect((await store.transcriptions.listTranscriptions({ limit: 10 })).transcriptions).toEqual([]);
        expect(
          (await store.transcriptions.listTranscriptions({ q: 'rubbish', limit: 10 })).transcriptions,
        ).toEqual([]);
        expect(
          (await store.transcriptions.listTranscriptions({ trashed: true, limit: 10 })).transcriptions.map(
            (t) => t.id,
          ),
        ).toEqual([id]);
        // Its path stays known: the scanner must not take it for an orphan.
        expect((await store.transcriptions.knownAudioPaths()).has('trash me.wav')).toBe(true);
        await expect(
          store.transcriptions.trashNote(id, { audioPath: null, sidecarPath: null }, T0),
        ).rejects.toBeInstanceOf(InvalidState);
        // A note still waiting for its transcript: its task is cancelled with it.
        await store.transcriptions.trashNote(waiting, { audioPath: null, sidecarPath: null }, T0 + 6);
        expect(
          (await store.tasks.listTasks({ status: 'cancelled', limit: 10 })).tasks.map(
            (t) => t.transcriptionId,
          ),
        ).toEqual([waiting]);
        const page = await store.transcriptions.listTranscriptions({ trashed: true, limit: 1 });
        expect(page.transcriptions.map((t) => t.id)).toEqual([waiting]);
        const next = await store.transcriptions.listTranscriptions({
          trashed: true,
          limit: 1,
          cursor: page.nextCursor,
        });
        expect(next.transcriptions.map((t) => t.id)).toEqual([id]);
        expect((await store.transcriptions.trashedBefore(T0 + 5)).map((t) => t.id)).toEqual([id]);
        const restored = await store.transcriptions.restoreNote(id);
        expect(restored).toMatchObject({ trashedAt: null, trashAudioPath: null });
        expect(
          (await store.transcriptions.listTranscriptions({ q: 'rubbish', limit: 10 })).transcriptions.map(
            (t) => t.id,
          ),
        ).toEqual([id]);
        await expect(store.transcriptions.restoreNote(id)).rejects.toBeInstanceOf(InvalidState);
        await expect(store.transcriptions.restoreNote('nope')).rejects.toBeInstanceOf(NotFound);
      });

      it('refuses to trash a note while it is being transcribed', async () => {
        await store.tasks.addTask(audio('busy.wav'), T0, 2);
        const task = await claimed();
        await expect(
          store.transcriptions.trashNote(task.transcriptionId, { audioPath: null, sidecarPath: null }, T0),
        ).rejects.toBeInstanceOf(InvalidState);
      });

      it('finds notes by content fingerprint, follows a moved file, and marks missing audio', async () => {
        const id = await finished('old/name.wav', 'moved words', { fingerprint: 'fp-1' });
        await store.tasks.addTask(audio('other.wav'), T0, 2);
        expect((await store.transcriptions.findByFingerprints(['fp-1', 'fp-x'])).map((t) => t.id)).toEqual([
          id,
        ]);
        await store.transcriptions.setContentFingerprint(transcriptionIdFor('other.wav'), 'fp-2');
        expect((await store.transcriptions.findByFingerprints(['fp-2'])).map((t) => t.audioPath)).toEqual([
          'other.wav',
        ]);
        expect(await store.transcriptions.setAudioMissing([id], true)).toBe(1);
        expect(await store.transcriptions.setAudioMissing([id], true)).toBe(0);
        expect((await store.transcriptions.audioStates()).find((s) => s.id === id)).toEqual({
          id,
          audioPath: 'old/name.wav',
          audioMissing: true,
        });
        const moved = await store.transcriptions.moveNote(id, 'new/renamed.wav', 'new/renamed.txt');
        expect(moved).toMatchObject({
          id,
          audioPath: 'new/renamed.wav',
          sidecarPath: 'new/renamed.txt',
          audioMissing: false,
          text: 'moved words',
        });
        expect(await store.transcriptions.knownAudioPaths()).toEqual(
          new Set(['new/renamed.wav', 'other.wav']),
        );
        // The moved note's new path is taken: adding it again is a no-op, not an error.
        await store.tasks.addTask(audio('new/renamed.wav'), T0, 2);
        expect(
          (await store.transcriptions.listTranscriptions({ q: 'renamed', limit: 10 })).transcriptions.map(
            (t) => t.id,
          ),
        ).toEqual([id]);
        await store.transcriptions.trashNote(id, { audioPath: null, sidecarPath: null }, T0);
        expect(await store.transcriptions.findByFingerprints(['fp-1'])).toEqual([]);
        expect((await store.transcriptions.audioStates()).map((s) => s.id)).toEqual([
          transcriptionIdFor('other.wav'),
        ]);
      });
    });

    describe('change detection', () => {
      it('changes its data version when another connection commits', async () => {
        const before = await store.dataVersion();
        const other = await harness.reopen();
        try {
          await other.settings.setSetting('x', 'from elsewhere');
        } finally {
          await other.close();
        }
        expect(await store.dataVersion()).not.toBe(before);
        expect(await store.settings.getSetting('x')).toBe('from elsewhere');
      });
    });
  });
}
