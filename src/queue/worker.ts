import type { Clock } from '../core/clock.js';
import { crashPoint } from '../core/crashPoints.js';
import { type TranscriptionEngine, textOfSegments } from '../core/engine.js';
import { FileMissing, toHarkError } from '../core/errors.js';
import { sidecarPathFor } from '../core/orphans.js';
import type { RecordingStateHolder } from '../core/recordingState.js';
import type { Task, Transcript } from '../core/types.js';
import type { NotesFolder } from './notesFolder.js';
import { abortReasonOf, type QueueManager } from './queueManager.js';
import { Wakeup } from './wakeup.js';

export type PreemptPolicy = 'always' | 'never';

export interface WorkerDeps {
  queue: QueueManager;
  engine: TranscriptionEngine;
  clock: Clock;
  recording: RecordingStateHolder;
  notes: NotesFolder;
  workerId: string;
  /** `always` (default): leaving Idle aborts the running task. `never`: the plan's "let it finish". */
  preempt?: PreemptPolicy;
  /** Whether to write the transcript beside the audio. */
  writeSidecars?: boolean;
  log?: (message: string) => void;
}

export interface WorkerEvents {
  idle: undefined;
}

/**
 * The single background worker. It sleeps until woken, claims one task at a
 * time, and only while the user is neither recording nor transcribing in the
 * foreground. Every outcome is written through the QueueManager.
 */
export class Worker {
  private readonly wakeup: Wakeup;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private engineWaiters: (() => void)[] = [];
  private busy = false;

  constructor(private readonly deps: WorkerDeps) {
    this.wakeup = new Wakeup(deps.clock);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { queue, recording } = this.deps;
    this.unsubscribe.push(
      queue.on('queue-changed', () => this.wakeup.notify()),
      recording.on('change', ({ to }) => {
        if (to !== 'Idle' && (this.deps.preempt ?? 'always') === 'always') {
          queue.abortActive({ kind: 'preempted', by: `recording state ${to}` });
        }
        this.wakeup.notify();
      }),
    );
    this.loop = this.run();
  }

  /** Stops after giving the running task back (pre-empted: it resumes from its checkpoint next time). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const off of this.unsubscribe.splice(0)) off();
    this.deps.queue.abortActive({ kind: 'shutdown' });
    this.wakeup.notify();
    await this.loop;
  }

  wake(): void {
    this.wakeup.notify();
  }

  /**
   * Resolves the next time the worker looks for a task and finds none it may
   * run now (the queue is empty, paused, or waiting out backoffs). Call wake()
   * first to make sure it looks again.
   */
  nextIdle(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** True while a task is running. */
  get isBusy(): boolean {
    return this.busy;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const claimed = this.deps.recording.isIdle() ? await this.claim() : null;
      if (claimed) {
        await this.runTask(claimed.task, claimed.signal);
        this.setEngineFree();
        continue;
      }
      this.setEngineFree();
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      await this.wakeup.wait(await this.sleepMs());
    }
    this.setEngineFree();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Claims the next task. The engine counts as taken from before the claim,
   * and the recording state is checked again after it: a recording that
   * started while the claim was in flight gets the engine, and the task goes
   * straight back (no attempt spent, not counted as a pre-emption).
   */
  private async claim(): Promise<{ task: Task; signal: AbortSignal } | null> {
    this.busy = true;
    let claimed: { task: Task; signal: AbortSignal } | null = null;
    try {
      claimed = await this.deps.queue.claimNext(this.deps.workerId);
    } catch (error) {
      this.log(`could not claim a task: ${toHarkError(error).message}`);
      return null;
    }
    if (claimed) crashPoint('claim');
    if (claimed && !this.deps.recording.isIdle()) {
      await this.deps.queue.requeue(claimed.task.id, { preempted: false }).catch(() => {});
      return null;
    }
    return claimed;
  }

  /**
   * Resolves once the worker is not using the engine: at once when idle;
   * after the current task otherwise (it is being aborted when pre-emption is
   * on, or finishes when it is off). The foreground transcription waits on this.
   */
  engineFree(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.engineWaiters.push(resolve));
  }

  private setEngineFree(): void {
    this.busy = false;
    for (const resolve of this.engineWaiters.splice(0)) resolve();
  }

  /** How long to sleep when there is nothing to claim: until the next backoff ends, or until woken. */
  private async sleepMs(): Promise<number | undefined> {
    try {
      const now = this.deps.clock.now();
      const next = await this.deps.queue.store.nextAvailableAt(now);
      return next === null ? undefined : Math.max(0, next - now);
    } catch {
      return 5_000;
    }
  }

  private async runTask(task: Task, signal: AbortSignal): Promise<void> {
    const { queue, engine, notes } = this.deps;
    try {
      const done = await queue.store.getTranscription(task.transcriptionId);
      if (done && (done.status === 'complete' || done.status === 'no_speech')) {
        // Transcribed meanwhile (in the foreground, or a transcript appeared beside it): nothing to redo.
        const transcript = { text: done.text ?? '', segments: done.segments, duration: done.duration ?? 0 };
        const input = {
          taskId: task.id,
          transcript,
          outcome: done.status,
          engine: done.engine ?? engine.name,
        };
        await queue.complete({ ...input, sidecarPath: done.sidecarPath });
        return;
      }
      const checkpoint = await this.checkpointFor(task);
      const result = await engine.transcribe(notes.resolve(task.audioPath), {
        signal,
        startAt: checkpoint.seconds,
        firstChunkIndex: checkpoint.chunkCount,
        onProgress: (fraction) => void queue.reportProgress(task.id, fraction),
        onChunk: async (chunk) => {
          crashPoint('chunk'); // the window is heard but not yet committed: the worst moment to die
          await queue.saveCheckpoint(task.id, chunk, chunk.progress);
        },
      });
      if (signal.aborted) throw signal.reason;
      const segments = [...checkpoint.segments, ...result.segments];
      const transcript: Transcript = { ...result, segments, text: textOfSegments(segments) };
      await this.finish(task, transcript);
    } catch (error) {
      await this.handleFailure(task, signal, error);
    }
  }

  /** The committed part of the transcript, unless the file was replaced since (then start over). */
  private async checkpointFor(task: Task) {
    const { queue, notes } = this.deps;
    const stat = notes.stat(task.audioPath);
    if (!stat) throw new FileMissing(task.audioPath);
    const transcription = await queue.store.getTranscription(task.transcriptionId);
    const replaced =
      transcription !== null &&
      (transcription.fileSize !== stat.size || transcription.fileMtimeMs !== stat.mtimeMs);
    if (replaced) {
      if (task.checkpointSeconds > 0)
        this.log(`${task.audioPath} changed since it was queued: starting it over`);
      await queue.store.clearCheckpoint(task.id);
      await queue.store.setFileFingerprint(task.transcriptionId, stat.size, stat.mtimeMs);
      return { seconds: 0, chunkCount: 0, segments: [] };
    }
    return queue.store.loadCheckpoint(task.id);
  }

  private async finish(task: Task, transcript: Transcript): Promise<void> {
    const { queue, engine } = this.deps;
    const outcome = transcript.text.length > 0 ? 'complete' : 'no_speech';
    const sidecarPath =
      outcome === 'complete' && this.deps.writeSidecars !== false ? sidecarPathFor(task.audioPath) : null;
    await queue.complete(
      { taskId: task.id, transcript, outcome, engine: engine.name, sidecarPath },
      async () => {
        if (sidecarPath) await this.writeSidecar(task, sidecarPath, transcript.text);
      },
    );
  }

  private async writeSidecar(task: Task, sidecarPath: string, text: string): Promise<void> {
    const { queue, notes } = this.deps;
    try {
      const state = notes.writeSidecar(sidecarPath, text);
      await queue.store.markSidecar(task.transcriptionId, state);
      if (state === 'kept_existing') this.log(`kept the existing ${sidecarPath}; the transcript is in Hark`);
    } catch (error) {
      // The transcript is safe in the database; the sidecar is written again at the next start.
      this.log(`could not write ${sidecarPath}: ${toHarkError(error).message}`);
    }
  }

  private async handleFailure(task: Task, signal: AbortSignal, error: unknown): Promise<void> {
    const { queue } = this.deps;
    const reason = abortReasonOf(error, signal);
    try {
      if (reason?.kind === 'cancelled') {
        await queue.releaseRun(task.id);
      } else if (reason) {
        await queue.requeue(task.id, { preempted: reason.kind === 'preempted' });
        this.log(
          `task ${task.id} paused (${reason.kind === 'preempted' ? reason.by : reason.kind}); it resumes later`,
        );
      } else {
        const harkError = toHarkError(error);
        this.log(`task ${task.id} (${task.audioPath}) failed: ${harkError.message}`);
        await queue.fail(task.id, harkError);
      }
    } catch (writeError) {
      // The database refused the outcome (disk full, locked): the task stays processing and
      // start-up recovery puts it back. Drop the run so the worker can go on.
      this.log(`could not record the outcome of task ${task.id}: ${toHarkError(writeError).message}`);
      await queue.releaseRun(task.id).catch(() => {});
    }
  }

  private log(message: string): void {
    this.deps.log?.(message);
  }
}
