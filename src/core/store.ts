import type { ChunkResult } from './engine.js';
import type { PendingAudioTotals, SpeedSample } from './etaTotal.js';
import type { MissDecision } from './missRule.js';
import type { NotePatch } from './notes.js';
import type { FailureDecision } from './retryRules.js';
import type {
  AdoptedSidecar,
  NewAudio,
  Origin,
  PauseState,
  Segment,
  Source,
  Task,
  TaskCounts,
  TaskPage,
  TaskStatus,
  Transcript,
  Transcription,
  TranscriptionStatus,
} from './types.js';
import type { WindowPrompt } from './windowPrompt.js';

export interface TaskFilter {
  status?: TaskStatus | undefined;
  limit: number;
  cursor?: string | null | undefined;
}

/** What to do with the transcript kept beside an edit: put it in place, or let it go. */
export type AlternativeChoice = 'use' | 'dismiss';

export interface TranscriptionFilter {
  /** Words to search for in the text and the file name. */
  q?: string | undefined;
  /** The trash instead of the main list (newest trashed first; not searched). */
  trashed?: boolean | undefined;
  limit: number;
  cursor?: string | null | undefined;
}

export interface TranscriptionPage {
  transcriptions: Transcription[];
  nextCursor: string | null;
}

export interface EnqueueResult {
  /** The live task for the audio: the new one, or the one already queued. Null when none is needed. */
  task: Task | null;
  created: boolean;
}

/** A finished transcript and where it goes: what completing a task or a recording writes. */
export interface TranscriptResult {
  transcript: Transcript;
  outcome: Extract<TranscriptionStatus, 'complete' | 'no_speech'>;
  engine: string;
  /** Where the sidecar transcript will be written (relative), or null when none is to be. */
  sidecarPath: string | null;
  now: number;
}

export interface CompleteTaskInput extends TranscriptResult {
  taskId: number;
  workerId: string;
}

/** A transcription made in the foreground: a recording, or a file given to transcribe-now. */
export interface NewTranscription {
  id: string;
  audioPath: string;
  source: Source;
  originalName?: string | null;
  recordedAt: number;
  now: number;
  /** Defaults: titleFor the name; originOf the source. */
  title?: string | undefined;
  origin?: Origin | undefined;
  fingerprint?: string | null | undefined;
}

/** findByFingerprints gives at most this many notes per fingerprint: copies beyond are not told apart. */
export const FINGERPRINT_MATCHES = 20;

/** Where a trashed note's files went in the trash folder (null: there was none to move). */
export interface TrashedFiles {
  audioPath: string | null;
  sidecarPath: string | null;
}

/** What the scanner needs to tell present, missing and moved audio apart. */
export interface AudioState {
  id: string;
  audioPath: string;
  audioMissing: boolean;
}

export interface Checkpoint {
  /** Seconds of audio whose transcript is committed. */
  seconds: number;
  chunkCount: number;
  segments: Segment[];
  /** What the last chunk left as the next window's prompt (ChunkResult.nextPrompt); absent when none. */
  nextPrompt?: WindowPrompt | null;
  /** The language each committed window was heard in (ChunkResult.language), in order; absent when none stored. */
  languages?: string[];
}

export interface SidecarJob {
  transcriptionId: string;
  audioPath: string;
  sidecarPath: string;
  text: string;
}

export interface RecoveryReport {
  requeued: number;
  failed: number;
}

/**
 * The tasks: queueing, the worker's side, the user's side, reading. Methods
 * that act on one task take the worker's id and change the row only while
 * that worker still holds it, so a task cancelled from another process is
 * never overwritten. Changes to `attempts` follow core's retryRules, applied
 * in the same transaction as the change they belong to.
 */
export interface TaskRepository {
  // --- queueing ---
  /** Idempotent: creates the transcription row if new and a task if none is live; never queues twice. */
  addTask(audio: NewAudio, now: number, maxRetries: number): Promise<EnqueueResult>;
  /** The scanner's batch form of addTask, in one transaction. Returns how many tasks were created. */
  addTasks(batch: readonly NewAudio[], now: number, maxRetries: number): Promise<number>;

  // --- the worker's side ---
  /**
   * Atomically takes the next runnable task (not while paused) and counts the attempt
   * (afterClaim). The worker's lease on it runs until `now + leaseMs` (default DEFAULT_LEASE_MS).
   */
  claimNext(workerId: string, now: number, leaseMs?: number, filter?: ClaimFilter): Promise<Task | null>;
  /** The next pending tasks, in claim order, whose audio length is not known yet (`--parallel` probes them). */
  unknownDurations(limit: number): Promise<{ transcriptionId: string; audioPath: string }[]>;
  /** Renews the holder's lease (the task's lease length, from its claim) as a side effect. */
  saveProgress(taskId: number, workerId: string, progress: number, now: number): Promise<boolean>;
  /** Commits one finished chunk and the task's position, in one transaction; renews the lease too. */
  saveCheckpoint(
    taskId: number,
    workerId: string,
    chunk: ChunkResult,
    progress: number,
    now: number,
  ): Promise<boolean>;
  loadCheckpoint(taskId: number): Promise<Checkpoint>;
  /** Forgets the checkpoint: the file changed since, so its chunks describe other audio. */
  clearCheckpoint(taskId: number): Promise<void>;
  /** Task completed and transcription written, in one transaction. False if the worker no longer holds it. */
  completeTask(input: CompleteTaskInput): Promise<boolean>;
  /** Applies core's nextStateAfterFailure decision. False if the worker no longer holds the task. */
  failTask(taskId: number, workerId: string, decision: FailureDecision, now: number): Promise<boolean>;
  /**
   * Gives a task back without spending its attempt (it was interrupted, not at
   * fault: afterInterruption), at the front of its priority. `preempted` counts it in preempted_count.
   */
  requeueTask(
    taskId: number,
    workerId: string,
    now: number,
    options: { preempted: boolean },
  ): Promise<boolean>;
  /**
   * The holder cannot find the task's file on its notes folder, and other nodes may have it:
   * core's afterNodeMiss, applied in one transaction (given back a while later, attempt refunded;
   * or failed after a few misses). Null if the worker no longer holds the task.
   */
  leaveForAnotherNode(taskId: number, workerId: string, now: number): Promise<MissDecision | null>;
  /**
   * Whether the holder's attempt is inside its engine's child process (hearing a
   * window) right now; recoverAbandoned does not blame a death in there on the file.
   */
  markEngineChild(taskId: number, workerId: string, hearing: boolean): Promise<boolean>;
  /** Start-up: tasks a dead process left `processing` go back to pending at once, or fail (afterCrash). */
  recoverAbandoned(now: number): Promise<RecoveryReport>;
  /** The holder's heartbeat: its lease runs until `now + leaseMs`. False once the task is not its own. */
  renewLease(taskId: number, workerId: string, now: number, leaseMs: number): Promise<boolean>;
  /**
   * Any node, now and then: processing tasks whose lease lapsed before `now` go back to pending,
   * or fail, by the same rule as recoverAbandoned (afterCrash), in one transaction.
   */
  reclaimExpired(now: number): Promise<RecoveryReport>;
  /** The soonest time a pending task in backoff becomes runnable, if any. */
  nextAvailableAt(now: number): Promise<number | null>;

  // --- the user's side ---
  /** A failed or cancelled task goes back with fresh retries (afterUserRetry). */
  retryTask(id: number, now: number): Promise<Task>;
  retryAllFailed(now: number): Promise<number>;
  /** A pending task becomes cancelled; a processing one too (its worker notices and aborts). */
  cancelTask(id: number, now: number): Promise<Task>;
  /** Every pending task becomes cancelled (running ones are left alone); returns how many. */
  cancelPending(now: number): Promise<number>;
  moveToFront(id: number, now: number): Promise<Task>;
  /** Removes every completed task, or with 'cancelled' every cancelled one; transcriptions stay. */
  clearCompleted(status?: 'completed' | 'cancelled'): Promise<number>;
  /** Retention: removes completed tasks that finished before `before`; transcriptions stay. */
  pruneCompleted(before: number): Promise<number>;
  /** Removes one finished task (completed, failed or cancelled); NotFound, or InvalidState while it is live. */
  deleteTask(id: number): Promise<Task>;
  /** Removes finished tasks by id, all or none (InvalidState when one is pending or running); returns how many. */
  deleteTasks(ids: readonly number[]): Promise<number>;

  // --- reading ---
  getTask(id: number): Promise<Task | null>;
  getCounts(): Promise<TaskCounts>;
  listTasks(filter: TaskFilter): Promise<TaskPage>;
  getProcessingTasks(): Promise<Task[]>;
  /** The pending tasks' audio still to hear, summed (the queue's total time left), in one aggregate. */
  pendingAudioTotals(): Promise<PendingAudioTotals>;
}

/** The transcriptions: the main list, the foreground recording flow, sidecar transcripts. */
export interface TranscriptionRepository {
  /** Every audio path (relative) that already has a transcription row. */
  knownAudioPaths(): Promise<Set<string>>;
  /** Records transcripts found beside audio as complete transcriptions. Returns how many were new. */
  adoptSidecars(batch: readonly AdoptedSidecar[], now: number): Promise<number>;
  getTranscription(id: string): Promise<Transcription | null>;
  /** The main list: the user's recordings and finished transcriptions, newest first. */
  listTranscriptions(filter: TranscriptionFilter): Promise<TranscriptionPage>;
  /** A transcription made in the foreground enters the main list at once; an existing row is kept. */
  createTranscription(input: NewTranscription): Promise<Transcription>;
  completeRecording(input: TranscriptResult & { id: string }): Promise<Transcription>;
  deleteTranscription(id: string): Promise<void>;
  /** Records the size and mtime the audio file has now (it was replaced since it was queued). */
  setFileFingerprint(id: string, fileSize: number, fileMtimeMs: number): Promise<void>;
  pendingSidecars(): Promise<SidecarJob[]>;
  markSidecar(transcriptionId: string, state: 'written' | 'kept_existing'): Promise<void>;

  // --- notes (issue 11) ---
  /**
   * Renames a note or changes its transcript (checked by core's checkNotePatch). A changed
   * text or segments marks it edited, and has a sidecar Hark wrote written again; search
   * sees the new text. NotFound for no such note.
   */
  updateNote(id: string, patch: NotePatch, now: number): Promise<Transcription>;
  /**
   * The user's answer to the transcript a re-transcription kept beside their edit
   * (alternativeText): `use` puts it in place of the edit (no longer edited; Hark's sidecar
   * written again; search sees it), `dismiss` lets it go. NotFound; InvalidState without one.
   */
  resolveAlternative(id: string, choice: AlternativeChoice): Promise<Transcription>;
  /**
   * The note leaves the list for the trash, its files already moved there (`files`); a pending
   * task for it is cancelled. NotFound; InvalidState when already trashed or being transcribed.
   */
  trashNote(id: string, files: TrashedFiles, now: number): Promise<Transcription>;
  /** Back from the trash (its files already back at audio_path). NotFound; InvalidState when not trashed. */
  restoreNote(id: string): Promise<Transcription>;
  /** Notes in the trash since `cutoff` or before (core purgeCutoff): due to be removed for good. */
  trashedBefore(cutoff: number): Promise<Transcription[]>;
  /** Notes (not in the trash) whose audio has one of these content fingerprints, oldest first, FINGERPRINT_MATCHES of each at most. */
  findByFingerprints(fingerprints: readonly string[]): Promise<Transcription[]>;
  /** The note follows its audio to a new path (a move or rename inside the notes folder). */
  moveNote(id: string, audioPath: string, sidecarPath: string | null): Promise<Transcription>;
  setContentFingerprint(id: string, fingerprint: string): Promise<void>;
  /** Records the audio's length, measured before it is transcribed (a transcript's own length is kept). */
  setAudioDuration(id: string, seconds: number): Promise<void>;
  /** Marks notes' audio missing (or found again); returns how many changed. */
  setAudioMissing(ids: readonly string[], missing: boolean): Promise<number>;
  /** Every note not in the trash, for the scanner to tell which audio is gone. */
  audioStates(): Promise<AudioState[]>;
}

/** Small persistent settings: the pause, the recording state, anything keyed. */
export interface SettingsRepository {
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string | null): Promise<void>;
  getPause(): Promise<PauseState>;
  setPause(state: PauseState): Promise<void>;
}

/** What a store's change feed tells: a commit by any node, or the feed's connection going and coming back. */
export type StoreChange =
  | { kind: 'changed'; table: string }
  | { kind: 'connection'; up: boolean; reason?: string };

/**
 * Commits by any node, as they happen (PostgreSQL's LISTEN/NOTIFY), so that nothing polls.
 * While the feed's own connection is down it polls instead and says so once each way.
 */
export interface StoreChanges {
  on(listener: (change: StoreChange) => void): () => void;
  close(): Promise<void>;
}

/**
 * Everything Hark keeps, behind one asynchronous interface split by
 * aggregate: SQLite now (src/db/sqliteStore.ts), PostgreSQL next. Only the
 * queue layer holds one (the queue keeps it private).
 */
/** How an attempt at a task ended; null while it runs. */
export type AttemptOutcome =
  | 'completed'
  | 'retrying'
  | 'failed'
  | 'preempted'
  | 'interrupted'
  | 'cancelled'
  | 'lost';

export interface TaskAttempt {
  id: number;
  taskId: number;
  transcriptionId: string;
  worker: string;
  engine: string | null;
  startedAt: number;
  endedAt: number | null;
  outcome: AttemptOutcome | null;
  errorKind: string | null;
  audioSeconds: number | null;
}

export interface AttemptEnd {
  endedAt: number;
  outcome: AttemptOutcome;
  errorKind: string | null;
  audioSeconds: number | null;
}

/** A finished transcription as the statistics see it: when, how long, by which engine. */
export interface TranscribedAudio {
  transcribedAt: number;
  duration: number;
  engine: string | null;
}

/** A task's life as the statistics see it: when it joined and left the queue. */
export interface TaskSpan {
  createdAt: number;
  completedAt: number | null;
}

/**
 * The history: every attempt at every task (for a task's history and for the
 * statistics), and the reads the statistics draw on. History is written
 * beside the queue's own changes, not inside them: a crash can leave an
 * attempt open, and the next attempt at that task closes it as `lost`.
 */
export interface HistoryRepository {
  /** Opens an attempt (closing the task's attempts left open by a dead process as `lost`); returns its id. */
  startAttempt(input: {
    taskId: number;
    transcriptionId: string;
    worker: string;
    engine: string | null;
    startedAt: number;
  }): Promise<number>;
  endAttempt(id: number, end: AttemptEnd): Promise<void>;
  /** A task's attempts, oldest first. */
  listAttempts(taskId: number): Promise<TaskAttempt[]>;
  /** Attempts started at or after `since`, oldest first. */
  attemptsSince(since: number): Promise<TaskAttempt[]>;
  /** Transcriptions finished at or after `since` (background and recordings alike). */
  transcribedSince(since: number): Promise<TranscribedAudio[]>;
  /** Seconds of audio transcribed in all. */
  totalAudioSeconds(): Promise<number>;
  /** Tasks still queued at or after `since`: created then or later, or not finished before it. */
  taskSpansSince(since: number): Promise<TaskSpan[]>;
  /** The latest `limit` completed attempts by `engine` (the name engines go by: engine and model) that heard audio. */
  recentSpeed(engine: string, limit: number): Promise<SpeedSample[]>;
}

/**
 * Narrows a claim (`--parallel`): the next task, only if its audio is known to last at most
 * this long (a task further back is never taken over it).
 */
export interface ClaimFilter {
  maxDurationSeconds?: number;
}

export interface HarkStore {
  readonly tasks: TaskRepository;
  readonly transcriptions: TranscriptionRepository;
  readonly settings: SettingsRepository;
  readonly history: HistoryRepository;
  /** Changes whenever another connection or process commits; the app polls it to notice CLI changes. */
  dataVersion(): Promise<number>;
  /** Which store this is: how abandoned tasks come back (core/leases.ts abandonedTaskRecovery). */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Commits by any node as they happen, where the store can tell (PostgreSQL); absent on
   * SQLite, where dataVersion is watched instead. Opened on first use; closed with the store.
   */
  changes?(): StoreChanges;
  close(): Promise<void>;
}
