import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../core/clock.js';
import type { ChunkResult } from '../core/engine.js';
import { Aborted, type AbortReason, type HarkError, InvalidState } from '../core/errors.js';
import { runEtaSeconds } from '../core/eta.js';
import type { PendingAudioTotals } from '../core/etaTotal.js';
import { measuredRealTimeFactor } from '../core/etaTotal.js';
import type { HarkBus } from '../core/events.js';
import { DEFAULT_LEASE_MS } from '../core/leases.js';
import type { MissDecision } from '../core/missRule.js';
import type { NotePatch } from '../core/notes.js';
import { nextStateAfterFailure } from '../core/retryRules.js';
import type {
  AlternativeChoice,
  AttemptOutcome,
  AudioState,
  Checkpoint,
  CompleteTaskInput,
  EnqueueResult,
  HarkStore,
  NewTranscription,
  RecoveryReport,
  SidecarJob,
  StoreChanges,
  TaskAttempt,
  TaskFilter,
  TaskSpan,
  TranscribedAudio,
  TranscriptionFilter,
  TranscriptionPage,
  TranscriptResult,
  TrashedFiles,
} from '../core/store.js';
import type {
  AdoptedSidecar,
  NewAudio,
  PauseState,
  QueueStatus,
  RecordingState,
  Task,
  TaskCounts,
  TaskPage,
  Transcription,
} from '../core/types.js';

export interface QueueOptions {
  maxRetries: number;
  /** Progress is written to the database at most this often per task; every change is still emitted. */
  progressWriteIntervalMs: number;
  /** How long a claim (or a renewal) holds a task for its worker (`--lease-seconds`; default 60 s). */
  leaseMs?: number;
}

/** How many of an engine's latest finished attempts its measured speed is drawn from. */
const SPEED_SAMPLES = 20;

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  maxRetries: 2,
  progressWriteIntervalMs: 1_000,
  leaseMs: DEFAULT_LEASE_MS,
};

interface ActiveRun {
  task: Task;
  workerId: string;
  controller: AbortController;
  /** When this run started and how far the task was then: the pace gives the time left. */
  runStartedAt: number;
  runStartProgress: number;
  /** When the progress last moved forward: the time left counts down from the estimate made then. */
  progressAt: number;
  lastProgressWriteAt: number;
  /** The attempt's row in the history (null if writing it failed: history never stops the work). */
  attemptId: number | null;
  /** Seconds of audio committed when the attempt started: what it got through is measured from here. */
  checkpointAtStart: number;
  /** The run's windows in an engine child process now (several when a file's windows are heard at once). */
  inEngineChild: number;
  /** The marks written so far, in order: a later mark never lands before an earlier one. */
  childMarks: Promise<unknown>;
}

/**
 * The queue's one entry point, for the worker, the scanner, the foreground
 * path, the CLI and the server alike, and the only holder of the store: every
 * read and write goes through a verb here. It adds the rules that are not
 * SQL: events, progress throttling, aborting the task that is running when it
 * is cancelled or the queue is paused.
 */
export class QueueManager {
  /** The runs of this process, by task id, oldest claim first: one, or up to `--parallel` short ones. */
  private readonly runs = new Map<number, ActiveRun>();
  /** Which run the code now executing belongs to (the worker runs each task inside it): markEngineChild's task. */
  private readonly runScope = new AsyncLocalStorage<number>();
  private resumeGuard: (() => string | null) | null = null;

  constructor(
    private readonly store: HarkStore,
    private readonly clock: Clock,
    /** The services' bus: the queue tells every change on it (task-update, queue-changed, pause-changed, transcription-changed). */
    private readonly events: HarkBus,
    readonly options: QueueOptions = DEFAULT_QUEUE_OPTIONS,
  ) {}

  // --- adding work ---

  async addTask(audio: NewAudio): Promise<EnqueueResult> {
    const result = await this.store.tasks.addTask(audio, this.clock.now(), this.options.maxRetries);
    if (result.created && result.task) {
      this.events.emit('task-update', result.task);
      this.events.emit('queue-changed', { reason: 'enqueued' });
    }
    return result;
  }

  async addTasks(batch: readonly NewAudio[]): Promise<number> {
    if (batch.length === 0) return 0;
    const created = await this.store.tasks.addTasks(batch, this.clock.now(), this.options.maxRetries);
    if (created > 0) this.events.emit('queue-changed', { reason: 'enqueued' });
    return created;
  }

  // --- the worker's side ---

  /**
   * Claims the next task for `workerId` and registers it as a running one. `maxDurationSeconds`:
   * only a task whose audio is known to be at most that long (a `--parallel` loop joining others).
   */
  async claimNext(
    workerId: string,
    options: { engine?: string; maxDurationSeconds?: number } = {},
  ): Promise<{ task: Task; signal: AbortSignal } | null> {
    const now = this.clock.now();
    const filter =
      options.maxDurationSeconds === undefined
        ? undefined
        : { maxDurationSeconds: options.maxDurationSeconds };
    const task = await this.store.tasks.claimNext(workerId, now, this.leaseMs, filter);
    if (!task) return null;
    const controller = new AbortController();
    const attemptId = await this.store.history
      .startAttempt({
        taskId: task.id,
        transcriptionId: task.transcriptionId,
        worker: workerId,
        engine: options.engine ?? null,
        startedAt: now,
      })
      .catch(() => null);
    this.runs.set(task.id, {
      task,
      workerId,
      controller,
      runStartedAt: now,
      runStartProgress: task.progress,
      progressAt: now,
      lastProgressWriteAt: now,
      attemptId,
      checkpointAtStart: task.checkpointSeconds,
      inEngineChild: 0,
      childMarks: Promise.resolve(),
    });
    this.events.emit('task-update', task);
    this.events.emit('queue-changed', { reason: 'claimed' });
    return { task, signal: controller.signal };
  }

  /** The lease length every claim and renewal of this queue takes. */
  get leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * The worker's heartbeat for its running task: the lease runs on for another leaseMs. False
   * when the task is no longer this worker's (its lease lapsed and another node reclaimed it,
   * or it was cancelled): the run is then aborted, and nothing it does later is written.
   */
  async renewLease(taskId: number): Promise<boolean> {
    const run = this.runOf(taskId);
    if (!run) return false;
    const renewed = await this.store.tasks.renewLease(taskId, run.workerId, this.clock.now(), this.leaseMs);
    if (!renewed) this.abortRun(run, { kind: 'cancelled' });
    return renewed;
  }

  /** Any node, now and then (on PostgreSQL): tasks whose lease lapsed go back to the queue, or fail (afterCrash). */
  async reclaimExpired(): Promise<RecoveryReport> {
    const report = await this.store.tasks.reclaimExpired(this.clock.now());
    if (report.requeued + report.failed > 0) this.events.emit('queue-changed', { reason: 'reclaimed' });
    return report;
  }

  /** Which store the queue is on: how abandoned tasks come back (core/leases.ts abandonedTaskRecovery). */
  get storeKind(): 'sqlite' | 'postgres' {
    return this.store.kind;
  }

  /** Commits by any node as they happen, where the store can tell (PostgreSQL); null on SQLite. */
  storeChanges(): StoreChanges | null {
    return this.store.changes?.() ?? null;
  }

  /** Progress of the running task, 0..1 and never backwards. Written at most once a second. */
  async reportProgress(taskId: number, fraction: number): Promise<void> {
    const run = this.runOf(taskId);
    if (!run) return;
    const progress = Math.max(
      run.task.progress,
      Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)),
    );
    if (progress === run.task.progress) return;
    const now = this.clock.now();
    run.task = { ...run.task, progress };
    run.progressAt = now;
    this.events.emit('task-update', run.task);
    if (now - run.lastProgressWriteAt >= this.options.progressWriteIntervalMs) {
      run.lastProgressWriteAt = now;
      await this.store.tasks.saveProgress(taskId, run.workerId, progress, now);
    }
  }

  /** Commits a finished chunk; false when the task is no longer ours (cancelled elsewhere). */
  async saveCheckpoint(taskId: number, chunk: ChunkResult, progress: number): Promise<boolean> {
    const run = this.runOf(taskId);
    if (!run) return false;
    const now = this.clock.now();
    const clamped = Math.max(run.task.progress, Math.min(1, Math.max(0, progress)));
    const saved = await this.store.tasks.saveCheckpoint(taskId, run.workerId, chunk, clamped, now);
    if (saved) {
      run.lastProgressWriteAt = now;
      if (clamped > run.task.progress) run.progressAt = now;
      run.task = { ...run.task, progress: clamped, checkpointSeconds: chunk.end };
      this.events.emit('task-update', run.task);
    }
    return saved;
  }

  /**
   * Commits the finished transcript. `afterCommit` (writing the sidecar file)
   * runs before the task's completion is announced, so a listener that sees
   * `completed` sees everything done.
   */
  async complete(
    input: Omit<CompleteTaskInput, 'workerId' | 'now'>,
    afterCommit?: () => Promise<void>,
  ): Promise<boolean> {
    const run = this.runOf(input.taskId);
    if (!run) return false;
    // A write the database refuses (locked, disk full) leaves the run as it is: the worker tries again.
    const done = await this.store.tasks.completeTask({
      ...input,
      workerId: run.workerId,
      now: this.clock.now(),
    });
    try {
      if (done) {
        await afterCommit?.();
        this.events.emit('transcription-changed', { id: run.task.transcriptionId });
      }
      return done;
    } finally {
      await this.endAttempt(run, done ? 'completed' : 'lost', null, input.transcript.duration);
      await this.finishRun(input.taskId);
    }
  }

  /** Records a failed attempt: retried after a backoff, or failed for good. */
  async fail(taskId: number, error: Pick<HarkError, 'kind' | 'message' | 'retryable'>): Promise<boolean> {
    const run = this.runOf(taskId);
    if (!run) return false;
    const now = this.clock.now();
    const decision = nextStateAfterFailure(run.task, error, now);
    const done = await this.store.tasks.failTask(taskId, run.workerId, decision, now);
    await this.endAttempt(
      run,
      done ? (decision.status === 'pending' ? 'retrying' : 'failed') : 'lost',
      error.kind,
    );
    await this.finishRun(taskId);
    return done;
  }

  /** Gives an interrupted task back without spending its attempt: it resumes from its checkpoint. */
  async requeue(taskId: number, options: { preempted: boolean }): Promise<boolean> {
    const run = this.runOf(taskId);
    if (!run) return false;
    const done = await this.store.tasks.requeueTask(taskId, run.workerId, this.clock.now(), options);
    await this.endAttempt(run, done ? (options.preempted ? 'preempted' : 'interrupted') : 'lost', null);
    await this.finishRun(taskId);
    return done;
  }

  /**
   * This node cannot find the task's file, and other nodes share the queue: the task is given
   * back for one of them (or fails once no node could find it: core's afterNodeMiss).
   */
  async leaveForAnotherNode(taskId: number): Promise<MissDecision | null> {
    const run = this.runOf(taskId);
    if (!run) return null;
    const decision = await this.store.tasks.leaveForAnotherNode(taskId, run.workerId, this.clock.now());
    await this.finishRun(taskId);
    return decision;
  }

  /**
   * Where a run of the task starts, given the file as it is now: the committed
   * part of its transcript, unless the file was replaced since it was queued
   * (a different size or mtime). Then its chunks describe other audio: the
   * checkpoint is forgotten and the new fingerprint recorded, and the run starts over.
   */
  async resumePoint(
    task: Pick<Task, 'id' | 'transcriptionId'>,
    file: { size: number; mtimeMs: number },
  ): Promise<{ checkpoint: Checkpoint; startedOver: boolean }> {
    const transcription = await this.store.transcriptions.getTranscription(task.transcriptionId);
    const replaced =
      transcription !== null &&
      (transcription.fileSize !== file.size || transcription.fileMtimeMs !== file.mtimeMs);
    if (!replaced) return { checkpoint: await this.store.tasks.loadCheckpoint(task.id), startedOver: false };
    await this.store.tasks.clearCheckpoint(task.id);
    await this.store.transcriptions.setFileFingerprint(task.transcriptionId, file.size, file.mtimeMs);
    return { checkpoint: { seconds: 0, chunkCount: 0, segments: [] }, startedOver: true };
  }

  /** The committed part of a task's transcript: where its next run starts. */
  async loadCheckpoint(taskId: number): Promise<Checkpoint> {
    return this.store.tasks.loadCheckpoint(taskId);
  }

  /** Forgets a task's checkpoint: the file changed since, so its chunks describe other audio. */
  async clearCheckpoint(taskId: number): Promise<void> {
    await this.store.tasks.clearCheckpoint(taskId);
  }

  /** The soonest time a task waiting out a backoff becomes runnable, if any: how long the worker may sleep. */
  async nextAvailableAt(): Promise<number | null> {
    return this.store.tasks.nextAvailableAt(this.clock.now());
  }

  /** Ends a run whose task was taken from the worker (cancelled): nothing to write. */
  async releaseRun(taskId: number): Promise<void> {
    const run = this.runOf(taskId);
    if (!run) return;
    await this.endAttempt(run, 'cancelled', null);
    await this.finishRun(taskId);
  }

  /**
   * The running task's engine child process starts (true) or stops (false)
   * hearing a window. Written down so that a death of Hark meanwhile, which
   * the file cannot have caused, does not use up one of the task's retries
   * (see recoverAbandoned). Best effort: if the write fails, the death counts,
   * as it did before. A foreground transcription (no running task) marks nothing.
   */
  async markEngineChild(hearing: boolean): Promise<void> {
    const scoped = this.runScope.getStore();
    const run = scoped === undefined ? this.onlyRun() : this.runs.get(scoped);
    if (!run) return;
    // The mark says whether any window is in a child: it changes when the first starts and the last ends.
    const before = run.inEngineChild;
    run.inEngineChild = Math.max(0, before + (hearing ? 1 : -1));
    if (before > 0 !== run.inEngineChild > 0) {
      const write = () =>
        this.store.tasks.markEngineChild(run.task.id, run.workerId, hearing).catch(() => false);
      run.childMarks = run.childMarks.then(write);
    }
    // A window joining others in a child waits for the mark too, so it is never in a child unmarked.
    await run.childMarks;
  }

  /** Aborts every running task, if any, with `reason` (a recording, a pause, a shutdown stops them all). */
  abortActive(reason: AbortReason): boolean {
    let aborted = false;
    for (const run of this.runs.values()) aborted = this.abortRun(run, reason) || aborted;
    return aborted;
  }

  private abortRun(run: ActiveRun, reason: AbortReason): boolean {
    if (run.controller.signal.aborted) return false;
    run.controller.abort(reason);
    return true;
  }

  /**
   * Runs `work` as part of the task's run: what the engine reports from inside it (its child
   * process hearing a window: markEngineChild) is written to that task, with several runs at once.
   */
  withinRun<T>(taskId: number, work: () => Promise<T>): Promise<T> {
    return this.runScope.run(taskId, work);
  }

  /** The queue's clock: the time its answers are read at. */
  now(): number {
    return this.clock.now();
  }

  /** The oldest of this process's running tasks (the only one without `--parallel`). */
  get activeTask(): Task | null {
    return this.firstRun()?.task ?? null;
  }

  /** Every task this process is running, oldest claim first. */
  get runningTasks(): Task[] {
    return [...this.runs.values()].map((run) => run.task);
  }

  /** Seconds left for a running task (default: the oldest), from its pace in this run; null until it has moved. */
  activeEtaSeconds(taskId?: number): number | null {
    const run = taskId === undefined ? this.firstRun() : this.runs.get(taskId);
    if (!run) return null;
    return runEtaSeconds({
      startedAt: run.runStartedAt,
      startProgress: run.runStartProgress,
      progress: run.task.progress,
      progressAt: run.progressAt,
      now: this.clock.now(),
    });
  }

  async recover(): Promise<{ requeued: number; failed: number }> {
    const report = await this.store.tasks.recoverAbandoned(this.clock.now());
    if (report.requeued + report.failed > 0) this.events.emit('queue-changed', { reason: 'recovered' });
    return report;
  }

  /** Pending tasks whose audio length is not known yet, in claim order (what `--parallel` probes). */
  async unknownDurations(limit: number): Promise<{ transcriptionId: string; audioPath: string }[]> {
    return this.store.tasks.unknownDurations(limit);
  }

  // --- files and transcriptions ---

  /** Records the size and mtime the audio file has now (it was replaced since it was queued). */
  async setFileFingerprint(transcriptionId: string, fileSize: number, fileMtimeMs: number): Promise<void> {
    await this.store.transcriptions.setFileFingerprint(transcriptionId, fileSize, fileMtimeMs);
  }

  /** Every audio path (relative) that already has a transcription: what the scanner need not queue. */
  async knownAudioPaths(): Promise<Set<string>> {
    return this.store.transcriptions.knownAudioPaths();
  }

  /** Records transcripts found beside audio as complete transcriptions. Returns how many were new. */
  async adoptSidecars(batch: readonly AdoptedSidecar[]): Promise<number> {
    if (batch.length === 0) return 0;
    const adopted = await this.store.transcriptions.adoptSidecars(batch, this.clock.now());
    if (adopted > 0) this.events.emit('transcription-changed', { id: '*' });
    return adopted;
  }

  /** Transcripts the database has but the notes folder may lack (the process died before writing them). */
  async pendingSidecars(): Promise<SidecarJob[]> {
    return this.store.transcriptions.pendingSidecars();
  }

  /** The sidecar transcript was written beside the audio, or a file Hark did not write was kept there. */
  async markSidecar(transcriptionId: string, state: 'written' | 'kept_existing'): Promise<void> {
    await this.store.transcriptions.markSidecar(transcriptionId, state);
  }

  /**
   * A transcription made in the foreground (a recording, a file given to
   * transcribe-now) enters the main list at once; an existing row is kept.
   * With a fingerprint, the file's size and mtime are recorded too.
   */
  async createForegroundTranscription(
    input: Omit<NewTranscription, 'now'>,
    fingerprint?: { fileSize: number; fileMtimeMs: number },
  ): Promise<Transcription> {
    let transcription = await this.store.transcriptions.createTranscription({
      ...input,
      now: this.clock.now(),
    });
    if (fingerprint) {
      await this.store.transcriptions.setFileFingerprint(
        input.id,
        fingerprint.fileSize,
        fingerprint.fileMtimeMs,
      );
      transcription = { ...transcription, ...fingerprint };
    }
    this.events.emit('transcription-changed', { id: input.id });
    return transcription;
  }

  /**
   * Commits a foreground transcript. `afterCommit` (writing the sidecar file)
   * runs before the change is announced, as with a task's completion.
   */
  async completeRecording(
    input: Omit<TranscriptResult, 'now'> & { id: string },
    afterCommit?: () => Promise<void>,
  ): Promise<Transcription> {
    const transcription = await this.store.transcriptions.completeRecording({
      ...input,
      now: this.clock.now(),
    });
    await afterCommit?.();
    this.events.emit('transcription-changed', { id: input.id });
    return transcription;
  }

  async getTranscription(id: string): Promise<Transcription | null> {
    return this.store.transcriptions.getTranscription(id);
  }

  /** The main list: the user's recordings and finished transcriptions, newest first. */
  // --- notes: names, edits, the trash, files that move or go (issue 11) ---

  async updateNote(id: string, patch: NotePatch): Promise<Transcription> {
    const note = await this.store.transcriptions.updateNote(id, patch, this.clock.now());
    this.events.emit('transcription-changed', { id });
    return note;
  }

  async resolveAlternative(id: string, choice: AlternativeChoice): Promise<Transcription> {
    const note = await this.store.transcriptions.resolveAlternative(id, choice);
    this.events.emit('transcription-changed', { id });
    return note;
  }

  async trashNote(id: string, files: TrashedFiles): Promise<Transcription> {
    const note = await this.store.transcriptions.trashNote(id, files, this.clock.now());
    this.events.emit('transcription-changed', { id });
    this.events.emit('queue-changed', { reason: 'trashed' });
    return note;
  }

  async restoreNote(id: string): Promise<Transcription> {
    const note = await this.store.transcriptions.restoreNote(id);
    this.events.emit('transcription-changed', { id });
    return note;
  }

  async trashedBefore(cutoff: number): Promise<Transcription[]> {
    return this.store.transcriptions.trashedBefore(cutoff);
  }

  /** Removes a note for good (its files are already gone): the end of its time in the trash. */
  async deleteNote(id: string): Promise<void> {
    await this.store.transcriptions.deleteTranscription(id);
    this.events.emit('transcription-changed', { id });
    this.events.emit('queue-changed', { reason: 'removed' });
  }

  async findByFingerprints(fingerprints: readonly string[]): Promise<Transcription[]> {
    return fingerprints.length === 0 ? [] : this.store.transcriptions.findByFingerprints(fingerprints);
  }

  async moveNote(id: string, audioPath: string, sidecarPath: string | null): Promise<Transcription> {
    const note = await this.store.transcriptions.moveNote(id, audioPath, sidecarPath);
    this.events.emit('transcription-changed', { id });
    return note;
  }

  async setContentFingerprint(id: string, fingerprint: string): Promise<void> {
    await this.store.transcriptions.setContentFingerprint(id, fingerprint);
  }

  async setAudioMissing(ids: readonly string[], missing: boolean): Promise<number> {
    if (ids.length === 0) return 0;
    const changed = await this.store.transcriptions.setAudioMissing(ids, missing);
    if (changed > 0)
      this.events.emit('transcription-changed', { id: ids.length === 1 ? (ids[0] ?? '*') : '*' });
    return changed;
  }

  async audioStates(): Promise<AudioState[]> {
    return this.store.transcriptions.audioStates();
  }

  async listTranscriptions(filter: TranscriptionFilter): Promise<TranscriptionPage> {
    return this.store.transcriptions.listTranscriptions(filter);
  }

  // --- settings and change detection ---

  async getSetting(key: string): Promise<string | null> {
    return this.store.settings.getSetting(key);
  }

  async setSetting(key: string, value: string | null): Promise<void> {
    await this.store.settings.setSetting(key, value);
  }

  /** Changes whenever another connection or process commits: how the app notices a `hark pause` in a terminal. */
  async dataVersion(): Promise<number> {
    return this.store.dataVersion();
  }

  // --- the user's side ---

  async retryFailed(id: number): Promise<Task> {
    const task = await this.store.tasks.retryTask(id, this.clock.now());
    this.changed(task, 'retried');
    return task;
  }

  async retryAllFailed(): Promise<number> {
    const count = await this.store.tasks.retryAllFailed(this.clock.now());
    if (count > 0) this.events.emit('queue-changed', { reason: 'retried' });
    return count;
  }

  /** A pending task is cancelled; a running one is cancelled and its engine aborted. */
  async cancel(id: number): Promise<Task> {
    const task = await this.store.tasks.cancelTask(id, this.clock.now());
    const run = this.runs.get(id);
    if (run) this.abortRun(run, { kind: 'cancelled' });
    this.changed(task, 'cancelled');
    return task;
  }

  /** Cancels every pending task; the running one (if any) carries on. */
  async cancelAllPending(): Promise<number> {
    const count = await this.store.tasks.cancelPending(this.clock.now());
    if (count > 0) this.events.emit('queue-changed', { reason: 'cancelled' });
    return count;
  }

  async moveToFront(id: number): Promise<Task> {
    const task = await this.store.tasks.moveToFront(id, this.clock.now());
    this.changed(task, 'reordered');
    return task;
  }

  /** Removes every completed task, or every cancelled one; their transcriptions stay. */
  async clearCompleted(status: 'completed' | 'cancelled' = 'completed'): Promise<number> {
    const count = await this.store.tasks.clearCompleted(status);
    this.events.emit('queue-changed', { reason: 'cleared' });
    return count;
  }

  /** Retention: removes completed tasks that finished before `before`; their transcriptions stay. */
  async pruneCompleted(before: number): Promise<number> {
    const count = await this.store.tasks.pruneCompleted(before);
    if (count > 0) this.events.emit('queue-changed', { reason: 'pruned' });
    return count;
  }

  /** Removes one finished task from the lists (not its transcription); live tasks are refused. */
  async remove(id: number): Promise<Task> {
    const task = await this.store.tasks.deleteTask(id);
    this.events.emit('queue-changed', { reason: 'removed' });
    return task;
  }

  /** Removes the selected finished tasks, all or none (InvalidState if one is live); returns how many went. */
  async removeMany(ids: readonly number[]): Promise<number> {
    const count = await this.store.tasks.deleteTasks(ids);
    if (count > 0) this.events.emit('queue-changed', { reason: 'removed' });
    return count;
  }

  /** Pauses the queue, persistently. A running task is pre-empted: it resumes from its checkpoint later. */
  async pause(reason = 'user'): Promise<PauseState> {
    const state: PauseState = { paused: true, reason, since: this.clock.now() };
    await this.store.settings.setPause(state);
    this.abortActive({ kind: 'preempted', by: 'pause' });
    this.events.emit('pause-changed', state);
    this.events.emit('queue-changed', { reason: 'paused' });
    return state;
  }

  /**
   * Something that must hold before the queue may run, such as having an
   * engine; while it does not, resume() is refused with its reason.
   */
  setResumeGuard(guard: (() => string | null) | null): void {
    this.resumeGuard = guard;
  }

  async resume(): Promise<PauseState> {
    const blocked = this.resumeGuard?.() ?? null;
    if (blocked) throw new InvalidState(blocked);
    const state: PauseState = { paused: false, reason: null, since: null };
    await this.store.settings.setPause(state);
    this.events.emit('pause-changed', state);
    this.events.emit('queue-changed', { reason: 'resumed' });
    return state;
  }

  async getPause(): Promise<PauseState> {
    return this.store.settings.getPause();
  }

  async getTask(id: number): Promise<Task | null> {
    return this.store.tasks.getTask(id);
  }

  async getCounts(): Promise<TaskCounts> {
    return this.store.tasks.getCounts();
  }

  async listTasks(filter: TaskFilter): Promise<TaskPage> {
    return this.store.tasks.listTasks(filter);
  }

  async getQueueStatus(filter: TaskFilter, recordingState: RecordingState = 'Idle'): Promise<QueueStatus> {
    const [pause, counts, page] = await Promise.all([
      this.store.settings.getPause(),
      this.store.tasks.getCounts(),
      this.store.tasks.listTasks(filter),
    ]);
    // Every running task, this node's or another's (oldest claim first); this process's own has
    // live progress, the others' rows have what their nodes last wrote.
    const activeTasks = (
      counts.processing > 0 || this.runs.size > 0 ? await this.store.tasks.getProcessingTasks() : []
    ).map((task) => this.runs.get(task.id)?.task ?? task);
    for (const run of [...this.runs.values()].reverse()) {
      if (!activeTasks.some((task) => task.id === run.task.id)) activeTasks.unshift(run.task);
    }
    const activeTask = this.activeTask ?? activeTasks[0] ?? null;
    const live = new Map(activeTasks.map((task) => [task.id, task]));
    const tasks = page.tasks.map((task) => live.get(task.id) ?? task);
    return { pause, activeTask, activeTasks, counts, page: { ...page, tasks }, recordingState };
  }

  /**
   * Another process changed the database (a `hark pause` or `hark cancel` in a
   * terminal). Bring this process in line: abort a running task that was
   * cancelled there, pre-empt it if the queue was paused there.
   */
  async syncExternalChanges(): Promise<void> {
    for (const run of [...this.runs.values()]) {
      const row = await this.store.tasks.getTask(run.task.id);
      // Only the run the row was read for: it may have finished, and the next been claimed, meanwhile.
      const current = () => this.runs.get(run.task.id) === run;
      if (current() && (row?.status !== 'processing' || row.lockedBy !== run.workerId)) {
        this.abortRun(run, { kind: 'cancelled' });
      } else if (current() && (await this.store.settings.getPause()).paused && current()) {
        this.abortRun(run, { kind: 'preempted', by: 'pause' });
      }
    }
    this.events.emit('pause-changed', await this.store.settings.getPause());
    this.events.emit('queue-changed', { reason: 'external' });
  }

  private runOf(taskId: number): ActiveRun | null {
    return this.runs.get(taskId) ?? null;
  }

  private firstRun(): ActiveRun | null {
    return this.runs.values().next().value ?? null;
  }

  /** The run, when there is exactly one: what a caller outside any run's scope means. */
  private onlyRun(): ActiveRun | null {
    return this.runs.size === 1 ? this.firstRun() : null;
  }

  /**
   * Closes the run's attempt in the history. `doneUpTo`: where the audio ended (a completion);
   * otherwise the last checkpoint. Best effort: a history write never fails the task.
   */
  private async endAttempt(
    run: ActiveRun,
    outcome: AttemptOutcome,
    errorKind: string | null,
    doneUpTo: number = run.task.checkpointSeconds,
  ): Promise<void> {
    if (run.attemptId === null) return;
    await this.store.history
      .endAttempt(run.attemptId, {
        endedAt: this.clock.now(),
        outcome,
        errorKind,
        audioSeconds: Math.max(0, doneUpTo - run.checkpointAtStart),
      })
      .catch(() => {});
  }

  /** What the statistics are drawn from, since `since`. */
  async historySince(since: number): Promise<{
    attempts: TaskAttempt[];
    transcribed: TranscribedAudio[];
    spans: TaskSpan[];
    totalAudioSeconds: number;
  }> {
    const { history } = this.store;
    const [attempts, transcribed, spans, totalAudioSeconds] = await Promise.all([
      history.attemptsSince(since),
      history.transcribedSince(since),
      history.taskSpansSince(since),
      history.totalAudioSeconds(),
    ]);
    return { attempts, transcribed, spans, totalAudioSeconds };
  }

  /** A task's attempts, oldest first: its history. */
  async listAttempts(taskId: number): Promise<TaskAttempt[]> {
    return this.store.history.listAttempts(taskId);
  }

  /**
   * What the queue's total time left is made of: every pending task's audio still to hear
   * (null where its length is not measured yet) and the measured speed of `engine` (the
   * name engines go by, which names the model too) over its latest finished attempts.
   */
  async workload(
    engine: string | null,
  ): Promise<{ pending: PendingAudioTotals; realTimeFactor: number | null }> {
    const [pending, samples] = await Promise.all([
      this.store.tasks.pendingAudioTotals(),
      engine ? this.store.history.recentSpeed(engine, SPEED_SAMPLES) : Promise.resolve([]),
    ]);
    return { pending, realTimeFactor: measuredRealTimeFactor(samples) };
  }

  /** Records a pending note's audio length, measured before its turn (services/audioLengths.ts). */
  async setAudioDuration(transcriptionId: string, seconds: number): Promise<void> {
    await this.store.transcriptions.setAudioDuration(transcriptionId, seconds);
  }

  /** Tells every listener that pending tasks' lengths are now known (once per batch, not per file). */
  announceLengths(): void {
    this.events.emit('queue-changed', { reason: 'measured' });
  }

  private async finishRun(taskId: number): Promise<void> {
    this.runs.delete(taskId);
    // The outcome is committed: a re-read the database refuses (it went away just then) must not
    // turn it into an error, or the caller would write it again. Listeners re-read on queue-changed.
    const task = await this.store.tasks.getTask(taskId).catch(() => null);
    if (task) this.events.emit('task-update', task);
    this.events.emit('queue-changed', { reason: 'finished' });
  }

  private changed(task: Task, reason: string): void {
    this.events.emit('task-update', task);
    this.events.emit('queue-changed', { reason });
  }
}

/** True when `error` is the rejection of an aborted engine call. */
export function abortReasonOf(error: unknown, signal: AbortSignal): AbortReason | null {
  if (error instanceof Aborted) return error.reason;
  if (signal.aborted) {
    const reason = signal.reason as AbortReason | undefined;
    return reason && typeof reason === 'object' && 'kind' in reason ? reason : { kind: 'cancelled' };
  }
  return null;
}
