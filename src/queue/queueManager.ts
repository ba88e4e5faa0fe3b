import type { Clock } from '../core/clock.js';
import type { ChunkResult } from '../core/engine.js';
import { Aborted, type AbortReason, type HarkError, InvalidState } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { nextStateAfterFailure } from '../core/retryRules.js';
import type { CompleteTaskInput, EnqueueResult, TaskFilter, TaskStore } from '../core/store.js';
import type { NewAudio, PauseState, QueueStatus, RecordingState, Task } from '../core/types.js';

export interface QueueEvents {
  /** A task changed: state, progress, anything the UI shows. */
  'task-update': Task;
  /** Counts or lists may have changed; listeners that show the whole queue re-read it. */
  'queue-changed': { reason: string };
  'pause-changed': PauseState;
  /** A transcription was added to the main list or got its transcript: list views re-read. */
  'transcription-changed': { id: string };
}

export interface QueueOptions {
  maxRetries: number;
  /** Progress is written to the database at most this often per task; every change is still emitted. */
  progressWriteIntervalMs: number;
}

export const DEFAULT_QUEUE_OPTIONS: QueueOptions = { maxRetries: 2, progressWriteIntervalMs: 1_000 };

interface ActiveRun {
  task: Task;
  workerId: string;
  controller: AbortController;
  /** When this run started and how far the task was then: the pace gives the time left. */
  runStartedAt: number;
  runStartProgress: number;
  lastProgressWriteAt: number;
}

/**
 * The queue's one entry point, for the worker, the scanner, the CLI and the
 * server alike. It wraps the store with the rules that are not SQL: events,
 * progress throttling, aborting the task that is running when it is cancelled
 * or the queue is paused.
 */
export class QueueManager extends TypedEmitter<QueueEvents> {
  private active: ActiveRun | null = null;
  private resumeGuard: (() => string | null) | null = null;

  constructor(
    readonly store: TaskStore,
    private readonly clock: Clock,
    readonly options: QueueOptions = DEFAULT_QUEUE_OPTIONS,
  ) {
    super();
  }

  // --- adding work ---

  async addTask(audio: NewAudio): Promise<EnqueueResult> {
    const result = await this.store.addTask(audio, this.clock.now(), this.options.maxRetries);
    if (result.created && result.task) {
      this.emit('task-update', result.task);
      this.emit('queue-changed', { reason: 'enqueued' });
    }
    return result;
  }

  async addTasks(batch: readonly NewAudio[]): Promise<number> {
    if (batch.length === 0) return 0;
    const created = await this.store.addTasks(batch, this.clock.now(), this.options.maxRetries);
    if (created > 0) this.emit('queue-changed', { reason: 'enqueued' });
    return created;
  }

  // --- the worker's side ---

  /** Claims the next task for `workerId` and registers it as the running one. */
  async claimNext(workerId: string): Promise<{ task: Task; signal: AbortSignal } | null> {
    if (this.active) throw new Error('claimNext while a task is running: there is one worker');
    const now = this.clock.now();
    const task = await this.store.claimNext(workerId, now);
    if (!task) return null;
    const controller = new AbortController();
    this.active = {
      task,
      workerId,
      controller,
      runStartedAt: now,
      runStartProgress: task.progress,
      lastProgressWriteAt: now,
    };
    this.emit('task-update', task);
    this.emit('queue-changed', { reason: 'claimed' });
    return { task, signal: controller.signal };
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
    run.task = { ...run.task, progress };
    this.emit('task-update', run.task);
    const now = this.clock.now();
    if (now - run.lastProgressWriteAt >= this.options.progressWriteIntervalMs) {
      run.lastProgressWriteAt = now;
      await this.store.saveProgress(taskId, run.workerId, progress, now);
    }
  }

  /** Commits a finished chunk; false when the task is no longer ours (cancelled elsewhere). */
  async saveCheckpoint(taskId: number, chunk: ChunkResult, progress: number): Promise<boolean> {
    const run = this.runOf(taskId);
    if (!run) return false;
    const now = this.clock.now();
    const clamped = Math.max(run.task.progress, Math.min(1, Math.max(0, progress)));
    const saved = await this.store.saveCheckpoint(taskId, run.workerId, chunk, clamped, now);
    if (saved) {
      run.lastProgressWriteAt = now;
      run.task = { ...run.task, progress: clamped, checkpointSeconds: chunk.end };
      this.emit('task-update', run.task);
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
    const done = await this.store.completeTask({ ...input, workerId: run.workerId, now: this.clock.now() });
    try {
      if (done) {
        await afterCommit?.();
        this.emit('transcription-changed', { id: run.task.transcriptionId });
      }
      return done;
    } finally {
      await this.finishRun(input.taskId);
    }
  }

  /** Records a failed attempt: retried after a backoff, or failed for good. */
  async fail(taskId: number, error: Pick<HarkError, 'kind' | 'message' | 'retryable'>): Promise<boolean> {
    const run = this.runOf(taskId);
    if (!run) return false;
    const now = this.clock.now();
    const done = await this.store.failTask(
      taskId,
      run.workerId,
      nextStateAfterFailure(run.task, error, now),
      now,
    );
    await this.finishRun(taskId);
    return done;
  }

  /** Gives an interrupted task back without spending its attempt: it resumes from its checkpoint. */
  async requeue(taskId: number, options: { preempted: boolean }): Promise<boolean> {
    const run = this.runOf(taskId);
    if (!run) return false;
    const done = await this.store.requeueTask(taskId, run.workerId, this.clock.now(), options);
    await this.finishRun(taskId);
    return done;
  }

  /** Ends a run whose task was taken from the worker (cancelled): nothing to write. */
  async releaseRun(taskId: number): Promise<void> {
    if (this.runOf(taskId)) await this.finishRun(taskId);
  }

  /**
   * The running task's engine child process starts (true) or stops (false)
   * hearing a window. Written down so that a death of Hark meanwhile, which
   * the file cannot have caused, does not use up one of the task's retries
   * (see recoverAbandoned). Best effort: if the write fails, the death counts,
   * as it did before. A foreground transcription (no running task) marks nothing.
   */
  async markEngineChild(hearing: boolean): Promise<void> {
    const run = this.active;
    if (!run) return;
    await this.store.markEngineChild(run.task.id, run.workerId, hearing).catch(() => false);
  }

  /** Aborts the running task, if any, with `reason`. */
  abortActive(reason: AbortReason): boolean {
    if (!this.active || this.active.controller.signal.aborted) return false;
    this.active.controller.abort(reason);
    return true;
  }

  get activeTask(): Task | null {
    return this.active?.task ?? null;
  }

  /** Seconds left for the running task, from its pace in this run; null until it has moved. */
  activeEtaSeconds(): number | null {
    const run = this.active;
    if (!run) return null;
    const done = run.task.progress - run.runStartProgress;
    const elapsed = (this.clock.now() - run.runStartedAt) / 1000;
    if (done <= 0.001 || elapsed <= 0) return null;
    return Math.max(0, Math.round((elapsed / done) * (1 - run.task.progress)));
  }

  async recover(): Promise<{ requeued: number; failed: number }> {
    const report = await this.store.recoverAbandoned(this.clock.now());
    if (report.requeued + report.failed > 0) this.emit('queue-changed', { reason: 'recovered' });
    return report;
  }

  // --- the user's side ---

  async retryFailed(id: number): Promise<Task> {
    const task = await this.store.retryTask(id, this.clock.now());
    this.changed(task, 'retried');
    return task;
  }

  async retryAllFailed(): Promise<number> {
    const count = await this.store.retryAllFailed(this.clock.now());
    if (count > 0) this.emit('queue-changed', { reason: 'retried' });
    return count;
  }

  /** A pending task is cancelled; a running one is cancelled and its engine aborted. */
  async cancel(id: number): Promise<Task> {
    const task = await this.store.cancelTask(id, this.clock.now());
    if (this.active?.task.id === id) this.abortActive({ kind: 'cancelled' });
    this.changed(task, 'cancelled');
    return task;
  }

  async moveToFront(id: number): Promise<Task> {
    const task = await this.store.moveToFront(id, this.clock.now());
    this.changed(task, 'reordered');
    return task;
  }

  async clearCompleted(): Promise<number> {
    const count = await this.store.clearCompleted();
    this.emit('queue-changed', { reason: 'cleared' });
    return count;
  }

  /** Pauses the queue, persistently. A running task is pre-empted: it resumes from its checkpoint later. */
  async pause(reason = 'user'): Promise<PauseState> {
    const state: PauseState = { paused: true, reason, since: this.clock.now() };
    await this.store.setPause(state);
    this.abortActive({ kind: 'preempted', by: 'pause' });
    this.emit('pause-changed', state);
    this.emit('queue-changed', { reason: 'paused' });
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
    await this.store.setPause(state);
    this.emit('pause-changed', state);
    this.emit('queue-changed', { reason: 'resumed' });
    return state;
  }

  async getPause(): Promise<PauseState> {
    return this.store.getPause();
  }

  async getQueueStatus(filter: TaskFilter, recordingState: RecordingState = 'Idle'): Promise<QueueStatus> {
    const [pause, counts, page] = await Promise.all([
      this.store.getPause(),
      this.store.getCounts(),
      this.store.listTasks(filter),
    ]);
    // This process's running task has live progress; otherwise (the CLI beside a running app) read the row.
    const activeTask = this.activeTask ?? (await this.store.getProcessingTasks())[0] ?? null;
    const tasks = page.tasks.map((task) => (activeTask && task.id === activeTask.id ? activeTask : task));
    return { pause, activeTask, counts, page: { ...page, tasks }, recordingState };
  }

  /**
   * Another process changed the database (a `hark pause` or `hark cancel` in a
   * terminal). Bring this process in line: abort a running task that was
   * cancelled there, pre-empt it if the queue was paused there.
   */
  async syncExternalChanges(): Promise<void> {
    const run = this.active;
    if (run) {
      const row = await this.store.getTask(run.task.id);
      if (row?.status !== 'processing' || row.lockedBy !== run.workerId) {
        this.abortActive({ kind: 'cancelled' });
      } else if ((await this.store.getPause()).paused) {
        this.abortActive({ kind: 'preempted', by: 'pause' });
      }
    }
    this.emit('pause-changed', await this.store.getPause());
    this.emit('queue-changed', { reason: 'external' });
  }

  private runOf(taskId: number): ActiveRun | null {
    return this.active && this.active.task.id === taskId ? this.active : null;
  }

  private async finishRun(taskId: number): Promise<void> {
    this.active = null;
    const task = await this.store.getTask(taskId);
    if (task) this.emit('task-update', task);
    this.emit('queue-changed', { reason: 'finished' });
  }

  private changed(task: Task, reason: string): void {
    this.emit('task-update', task);
    this.emit('queue-changed', { reason });
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
