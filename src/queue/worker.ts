import { availableParallelism } from 'node:os';
import { backoffDelayMs } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';
import { crashPoint } from '../core/crashPoints.js';
import { type TranscriptionEngine, textOfSegments } from '../core/engine.js';
import { FileMissing, toHarkError } from '../core/errors.js';
import type { HarkBus } from '../core/events.js';
import { type Log, silentLog } from '../core/log.js';
import { sidecarContent } from '../core/markdown.js';
import { type SidecarFormat, sidecarPathFor } from '../core/orphans.js';
import { claimScope, parallelSlots, SHORT_TASK_SECONDS } from '../core/parallel.js';
import type { RecordingStateHolder } from '../core/recordingState.js';
import type { Task, Transcript, Transcription } from '../core/types.js';
import type { FileStat, NotesFiles } from '../files/notesFiles.js';
import { startHeartbeat } from './leaseKeeper.js';
import { abortReasonOf, type QueueManager } from './queueManager.js';
import { Wakeup } from './wakeup.js';

export type PreemptPolicy = 'always' | 'never';

/**
 * Waits between tries at storage that refused a write: 1 s, doubling, at most 10 s (the one
 * backoff formula). Each try at a locked database blocks for its busy timeout (5 s), so they are
 * spaced out; the cap bounds how long the worker takes to catch up once the trouble is over.
 */
const STORAGE_RETRY = { baseMs: 1_000, capMs: 10_000 };

/** A database locked by another process, or a full disk: nothing to do with the task, and it passes. */
function isStorageTrouble(error: unknown): boolean {
  const kind = toHarkError(error).kind;
  return kind === 'database_locked' || kind === 'disk_full';
}

export interface WorkerDeps {
  queue: QueueManager;
  /** The services' bus: the worker wakes on queue changes and yields to the recording state. */
  events: HarkBus;
  engine: TranscriptionEngine;
  clock: Clock;
  recording: RecordingStateHolder;
  notes: NotesFiles;
  workerId: string;
  /**
   * Other nodes share the queue (PostgreSQL), each with its own mount of the notes folder: a
   * file this node cannot find is left for another (core's afterNodeMiss) instead of failing.
   */
  leaveMissingFiles?: boolean;
  /** `always` (default): leaving Idle aborts the running task. `never`: the plan's "let it finish". */
  preempt?: PreemptPolicy;
  /** Whether to write the transcript beside the audio. */
  writeSidecars?: boolean;
  /** `txt` (default) or `md`: the transcript's text, or its Markdown export. */
  sidecarFormat?: SidecarFormat;
  log?: Log;
  /**
   * Another gate besides the local recording state: false while background work must yield
   * to something outside this process (a recording on another node: services/otherNodes.ts).
   */
  mayRun?: () => boolean;
  /** Looks for lapsed leases (LeaseReclaimer) each time the worker finds nothing to claim: PostgreSQL only. */
  reclaimer?: { reclaimNow(): Promise<void> };
  /**
   * `--parallel N`: up to N short tasks at once (core/parallel.ts), capped by the cores and the
   * engine. Default 1: the single worker. Read at each claim, so a change applies to the next.
   */
  parallel?: number;
  /** The cores Hark may use (default: os.availableParallelism()). */
  cores?: number;
}

export interface WorkerEvents {
  idle: undefined;
}

/**
 * The background worker. It sleeps until woken, claims one task at a time,
 * and only while the user is neither recording nor transcribing in the
 * foreground. It holds no store: a task's walk is one road of queue verbs,
 * claimNext → resumePoint → saveCheckpoint per window → complete | fail |
 * requeue (releaseRun when the task was cancelled under it).
 *
 * With `--parallel N` it runs up to N such loops over the same claim, one
 * claim at a time, each deciding by core's claimScope: any task when none
 * runs, only a short one beside short ones. A recording aborts them all.
 */
export class Worker {
  /** Every sleeper to wake on a change: one per loop, and any outcome write waiting out storage trouble. */
  private readonly wakeups = new Set<Wakeup>();
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private engineWaiters: (() => void)[] = [];
  /** Loops claiming or running a task: the engine is free when none is. */
  private busyLoops = 0;
  /** The tasks this worker runs, with their audio lengths (what claimScope decides by). */
  private readonly inFlight = new Map<number, number | null>();
  /** Claims are taken one at a time, so each loop decides on what the others hold. */
  private claimTurn: Promise<unknown> = Promise.resolve();
  /** Notes whose length the engine could not read: not probed again by this worker. */
  private readonly unprobeable = new Set<string>();
  /** The last claim failed for storage trouble: wait before the next (each try blocks for the busy timeout). */
  private claimRefused = false;

  constructor(private readonly deps: WorkerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const { queue, events } = this.deps;
    this.unsubscribe.push(
      events.on('queue-changed', () => this.notifyAll()),
      events.on('recording-changed', ({ to }) => {
        if (to !== 'Idle' && (this.deps.preempt ?? 'always') === 'always') {
          // Every running task, however many --parallel runs: each steps aside at its checkpoint.
          queue.abortActive({ kind: 'preempted', by: `recording state ${to}` });
        }
        this.notifyAll();
      }),
    );
    this.addLoops(1);
  }

  /** Stops after giving the running tasks back (pre-empted: each resumes from its checkpoint next time). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const off of this.unsubscribe.splice(0)) off();
    this.deps.queue.abortActive({ kind: 'shutdown' });
    this.notifyAll();
    // Loops added while stopping are awaited too.
    for (let i = 0; i < this.loops.length; i++) await this.loops[i];
  }

  wake(): void {
    this.notifyAll();
  }

  private notifyAll(): void {
    for (const wakeup of this.wakeups) wakeup.notify();
  }

  /** Starts loops until there are `count` (never more than the cores: more could not run at once). */
  private addLoops(count: number): void {
    while (this.running && this.loops.length < count) {
      const wakeup = new Wakeup(this.deps.clock);
      this.wakeups.add(wakeup);
      this.loops.push(this.run(wakeup));
    }
  }

  /** How many tasks may run at once now: --parallel, capped by the cores and the engine. */
  private slots(): number {
    return parallelSlots({
      requested: this.deps.parallel ?? 1,
      cores: this.deps.cores ?? availableParallelism(),
      engineConcurrency: this.deps.engine.concurrency ?? 1,
    });
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
    return this.busyLoops > 0;
  }

  private async run(wakeup: Wakeup): Promise<void> {
    while (this.running) {
      this.busyLoops++;
      const claimed = this.mayClaim() ? await this.claimInTurn() : null;
      if (claimed) {
        await this.runTask(claimed.task, claimed.signal);
        this.loopFree();
        continue;
      }
      this.loopFree();
      if (this.inFlight.size === 0) {
        // Before sleeping for lack of work: a dead node's task may be waiting for a new home.
        await this.deps.reclaimer?.reclaimNow();
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
      await wakeup.wait(await this.sleepMs());
    }
    if (this.busyLoops === 0) this.setEngineFree();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private claimInTurn(): Promise<{ task: Task; signal: AbortSignal } | null> {
    const turn = this.claimTurn.then(() => this.claim());
    this.claimTurn = turn.catch(() => {});
    return turn;
  }

  /**
   * Claims the next task, if core's claimScope lets this loop take one beside
   * the others'. The engine counts as taken from before the claim, and the
   * recording state is checked again after it: a recording that started while
   * the claim was in flight gets the engine, and the task goes straight back
   * (no attempt spent, not counted as a pre-emption).
   */
  private async claim(): Promise<{ task: Task; signal: AbortSignal } | null> {
    const slots = this.slots();
    if (slots > 1) this.addLoops(slots);
    const scope = claimScope([...this.inFlight.values()], slots);
    if (scope === 'none' || !this.mayClaim()) return null;
    // Probing is background work too: never beside a recording (checked before and after).
    if (slots > 1) await this.probeAhead(slots);
    if (!this.running || !this.mayClaim()) return null;
    let claimed: { task: Task; signal: AbortSignal } | null = null;
    try {
      claimed = await this.deps.queue.claimNext(this.deps.workerId, {
        engine: this.deps.engine.name,
        ...(scope === 'short' ? { maxDurationSeconds: SHORT_TASK_SECONDS } : {}),
      });
    } catch (error) {
      this.log.warn(`could not claim a task: ${toHarkError(error).message}`);
      this.claimRefused = isStorageTrouble(error);
      return null;
    }
    if (claimed) crashPoint('claim');
    if (claimed && !this.mayClaim()) {
      await this.deps.queue.requeue(claimed.task.id, { preempted: false }).catch(() => {});
      return null;
    }
    if (claimed) this.inFlight.set(claimed.task.id, claimed.task.duration);
    return claimed;
  }

  /**
   * `--parallel` tells short tasks by their audio's length, which is known only once a file has
   * been heard: the next few pending tasks whose length is unknown are probed (the engine reads
   * the header, as it does before transcribing) and the lengths recorded. Best effort: a file it
   * cannot read is left unknown, so it runs alone, and fails (or not) when its turn comes.
   */
  private async probeAhead(slots: number): Promise<void> {
    const { queue, engine, notes } = this.deps;
    if (!engine.probeDuration) return;
    try {
      const unknown = await queue.unknownDurations(Math.min(200, slots * 2 + this.unprobeable.size));
      for (const note of unknown) {
        if (this.unprobeable.has(note.transcriptionId) || !this.running) continue;
        const seconds = await engine.probeDuration(notes.resolve(note.audioPath)).catch(() => null);
        if (seconds === null) this.unprobeable.add(note.transcriptionId);
        else await queue.setAudioDuration(note.transcriptionId, seconds);
      }
    } catch (error) {
      this.log.debug(`could not probe the next tasks' lengths: ${toHarkError(error).message}`);
    }
  }

  private mayClaim(): boolean {
    return this.deps.recording.isIdle() && (this.deps.mayRun?.() ?? true);
  }

  /**
   * Resolves once the worker is not using the engine: at once when idle;
   * after the current task otherwise (it is being aborted when pre-emption is
   * on, or finishes when it is off). The foreground transcription waits on this.
   */
  engineFree(): Promise<void> {
    if (this.busyLoops === 0) return Promise.resolve();
    return new Promise((resolve) => this.engineWaiters.push(resolve));
  }

  /** A loop ended its claim or its task: once none is busy, the engine is free. */
  private loopFree(): void {
    this.busyLoops = Math.max(0, this.busyLoops - 1);
    if (this.busyLoops === 0) this.setEngineFree();
  }

  private setEngineFree(): void {
    for (const resolve of this.engineWaiters.splice(0)) resolve();
  }

  /** How long to sleep when there is nothing to claim: until the next backoff ends, or until woken. */
  private async sleepMs(): Promise<number | undefined> {
    if (this.claimRefused) {
      this.claimRefused = false;
      return STORAGE_RETRY.capMs / 2;
    }
    try {
      const next = await this.deps.queue.nextAvailableAt();
      return next === null ? undefined : Math.max(0, next - this.deps.clock.now());
    } catch {
      return 5_000;
    }
  }

  /**
   * Runs a claimed task with its lease renewed by a heartbeat until the run ends, inside the
   * task's run scope (what its engine child reports is written to this task).
   */
  private async runTask(task: Task, signal: AbortSignal): Promise<void> {
    const stopHeartbeat = startHeartbeat(this.deps.queue, this.deps.clock, task.id, this.log);
    try {
      await this.deps.queue.withinRun(task.id, () => this.runClaimed(task, signal));
    } finally {
      stopHeartbeat();
      this.inFlight.delete(task.id);
    }
  }

  private async runClaimed(task: Task, signal: AbortSignal): Promise<void> {
    const { queue, engine, notes } = this.deps;
    /** The file's size and mtime when the engine was started on it. */
    let started: FileStat | null = null;
    try {
      const done = await queue.getTranscription(task.transcriptionId);
      if (done && (done.status === 'complete' || done.status === 'no_speech')) {
        // Transcribed meanwhile (in the foreground, or a transcript appeared beside it): nothing to redo.
        const transcript = { text: done.text ?? '', segments: done.segments, duration: done.duration ?? 0 };
        const input = {
          taskId: task.id,
          transcript,
          outcome: done.status,
          engine: done.engine ?? engine.name,
        };
        await this.persist(task, () => queue.complete({ ...input, sidecarPath: done.sidecarPath }));
        return;
      }
      const { checkpoint, heard } = await this.checkpointFor(task);
      started = heard;
      const result = await engine.transcribe(notes.resolve(task.audioPath), {
        signal,
        startAt: checkpoint.seconds,
        firstChunkIndex: checkpoint.chunkCount,
        // The prompt the last committed window left for the next: the same one an uninterrupted run gives.
        prompt: checkpoint.nextPrompt,
        // The languages the committed windows were heard in: the task's language counts every window.
        languages: checkpoint.languages,
        language: task.language,
        // Progress is shown live and written at most once a second: a write the database refuses
        // is skipped (the next catches up). Unhandled, its rejection would end the process.
        onProgress: (fraction) => void queue.reportProgress(task.id, fraction).catch(() => {}),
        onChunk: async (chunk) => {
          crashPoint('chunk'); // the window is heard but not yet committed: the worst moment to die
          // Replaced meanwhile: stop hearing stale audio now; the catch below starts the file over.
          if (this.changedSince(task, heard)) throw new Error(`${task.audioPath} changed`);
          await queue.saveCheckpoint(task.id, chunk, chunk.progress);
        },
      });
      if (signal.aborted) throw signal.reason;
      if (await this.startOverIfChanged(task, heard)) return;
      const segments = [...checkpoint.segments, ...result.segments];
      const transcript: Transcript = { ...result, segments, text: textOfSegments(segments) };
      await this.finish(task, transcript);
    } catch (error) {
      // A decode that failed because the file was being rewritten under it is not the file's fault.
      if (started && !abortReasonOf(error, signal) && (await this.startOverIfChanged(task, started))) return;
      await this.handleFailure(task, signal, error);
    }
  }

  /**
   * The engine reads the file as it was when it opened it: a file replaced
   * (or rewritten, or still growing) while it was being heard would get the
   * old audio's transcript, or fail on a half-written one, and the new audio
   * would never be transcribed. So the file is looked at again after each
   * window and at the end; if it changed, the task goes back to the queue without spending an
   * attempt, and the next run starts it over (checkpointFor sees the new
   * fingerprint). A file deleted meanwhile keeps the transcript just made.
   */
  private async startOverIfChanged(task: Task, heard: FileStat): Promise<boolean> {
    if (!this.changedSince(task, heard)) return false;
    this.log.info(`${task.audioPath} changed while it was being transcribed: starting it over`);
    await this.deps.queue.requeue(task.id, { preempted: false });
    return true;
  }

  /** Whether the file now differs in size or mtime from `heard`; a file gone or out of reach has not. */
  private changedSince(task: Task, heard: FileStat): boolean {
    let now: FileStat | null;
    try {
      now = this.deps.notes.stat(task.audioPath);
    } catch {
      return false;
    }
    return now !== null && (now.size !== heard.size || now.mtimeMs !== heard.mtimeMs);
  }

  /**
   * The committed part of the transcript, unless the file was replaced since
   * (then start over), and the file's fingerprint this run is based on.
   */
  private async checkpointFor(task: Task) {
    const { queue, notes } = this.deps;
    const stat = notes.stat(task.audioPath);
    if (!stat) throw new FileMissing(task.audioPath);
    const { checkpoint, startedOver } = await queue.resumePoint(task, stat);
    if (startedOver && task.checkpointSeconds > 0)
      this.log.info(`${task.audioPath} changed since it was queued: starting it over`);
    return { checkpoint, heard: stat };
  }

  private async finish(task: Task, transcript: Transcript): Promise<void> {
    const { queue, engine } = this.deps;
    const outcome = transcript.text.length > 0 ? 'complete' : 'no_speech';
    const sidecarPath =
      outcome === 'complete' && this.deps.writeSidecars !== false
        ? sidecarPathFor(task.audioPath, this.deps.sidecarFormat)
        : null;
    await this.persist(task, () =>
      queue.complete({ taskId: task.id, transcript, outcome, engine: engine.name, sidecarPath }, async () => {
        const row = await queue.getTranscription(task.transcriptionId).catch(() => null);
        if (sidecarPath) await this.writeSidecar(task, sidecarPath, transcript.text, row);
        if (row && row.fingerprint === null) this.fillFingerprint(task);
      }),
    );
  }

  /** A note made before fingerprints (or a recording) gets one, so it can follow its file if moved. */
  private fillFingerprint(task: Task): void {
    try {
      const print = this.deps.notes.fingerprint(task.audioPath);
      if (print) void this.deps.queue.setContentFingerprint(task.transcriptionId, print).catch(() => {});
    } catch {
      // unreadable just now: the next transcription tries again
    }
  }

  private async writeSidecar(
    task: Task,
    sidecarPath: string,
    text: string,
    row: Transcription | null,
  ): Promise<void> {
    const { queue, notes } = this.deps;
    try {
      // Made from the committed row: the Markdown's front matter, and a hand edit kept over the engine's text.
      const state = notes.writeSidecar(sidecarPath, row ? sidecarContent(row, sidecarPath) : text);
      await queue.markSidecar(task.transcriptionId, state);
      if (state === 'kept_existing')
        this.log.warn(`kept the existing ${sidecarPath}; the transcript is in Hark`);
    } catch (error) {
      // The transcript is safe in the database; the sidecar is written again at the next start.
      this.log.warn(`could not write ${sidecarPath}: ${toHarkError(error).message}`);
    }
  }

  private async handleFailure(task: Task, signal: AbortSignal, error: unknown): Promise<void> {
    const { queue } = this.deps;
    const reason = abortReasonOf(error, signal);
    try {
      if (reason?.kind === 'cancelled') {
        await queue.releaseRun(task.id);
      } else if (reason) {
        await this.persist(task, () => queue.requeue(task.id, { preempted: reason.kind === 'preempted' }));
        this.log.info(
          `task ${task.id} paused (${reason.kind === 'preempted' ? reason.by : reason.kind}); it resumes later`,
        );
      } else if (error instanceof FileMissing && this.deps.leaveMissingFiles) {
        const decision = await this.persist(task, () => queue.leaveForAnotherNode(task.id));
        this.log.warn(
          decision?.status === 'failed'
            ? `task ${task.id} (${task.audioPath}) failed: ${decision.errorMessage}`
            : `${task.audioPath} is not in this node’s notes folder: left for another node`,
        );
      } else if (isStorageTrouble(error)) {
        // The database or the disk refused a checkpoint: not the file's doing. The task goes back
        // without spending its attempt and resumes from its last checkpoint.
        this.log.warn(
          `task ${task.id} (${task.audioPath}) stopped: ${toHarkError(error).message}; it resumes later`,
        );
        await this.persist(task, () => queue.requeue(task.id, { preempted: false }));
      } else {
        const harkError = toHarkError(error);
        // debug, not warn: whoever runs the worker shows the outcome once (hark start's ✗ line).
        this.log.debug(`task ${task.id} (${task.audioPath}) failed: ${harkError.message}`);
        await this.persist(task, () => queue.fail(task.id, harkError));
      }
    } catch (writeError) {
      // The outcome could not be written and the worker is stopping (or the write failed in a way
      // waiting cannot mend): the task stays processing and start-up recovery puts it back.
      this.log.warn(`could not record the outcome of task ${task.id}: ${toHarkError(writeError).message}`);
      await queue.releaseRun(task.id).catch(() => {});
    }
  }

  /**
   * Writes a task's outcome, waiting out storage trouble (a database another
   * process has locked, a full disk) for as long as it lasts: the run stays
   * this worker's meanwhile, nothing else is claimed, and the outcome is
   * recorded as soon as the database takes it. Stopping gives up: the task is
   * then still `processing`, and start-up recovery puts it back.
   */
  private async persist<T>(task: Task, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (!isStorageTrouble(error) || !this.running) throw error;
        const waitMs = backoffDelayMs(attempt + 1, STORAGE_RETRY);
        if (attempt === 0) {
          this.log.warn(
            `could not record the outcome of task ${task.id} yet (${toHarkError(error).message}); trying again until it is`,
          );
        }
        const wakeup = new Wakeup(this.deps.clock);
        this.wakeups.add(wakeup);
        await wakeup.wait(waitMs).finally(() => this.wakeups.delete(wakeup));
      }
    }
  }

  private get log(): Log {
    return this.deps.log ?? silentLog;
  }
}
