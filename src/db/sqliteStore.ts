import { crashPoint } from '../core/crashPoints.js';
import type { ChunkResult } from '../core/engine.js';
import type { FailureDecision } from '../core/retryRules.js';
import type {
  Checkpoint,
  CompleteTaskInput,
  EnqueueResult,
  NewTranscription,
  RecoveryReport,
  SidecarJob,
  TaskFilter,
  TaskStore,
  TranscriptionFilter,
  TranscriptionPage,
  TranscriptResult,
} from '../core/store.js';
import type {
  AdoptedSidecar,
  NewAudio,
  PauseState,
  Task,
  TaskCounts,
  TaskPage,
  Transcription,
} from '../core/types.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { migrate } from './migrate.js';
import { type Db, type OpenOptions, openDatabase } from './open.js';
import { addTask } from './queries/addTask.js';
import { adoptSidecar } from './queries/adoptSidecars.js';
import { getPause, getSetting, setPause, setSetting } from './queries/appState.js';
import { cancelTask } from './queries/cancelTask.js';
import { clearCheckpoint, loadCheckpoint, saveCheckpoint } from './queries/checkpoints.js';
import { claimNextTask } from './queries/claimNextTask.js';
import { clearCompleted } from './queries/clearCompleted.js';
import { completeTask } from './queries/completeTask.js';
import { markEngineChild } from './queries/engineChild.js';
import { failTask } from './queries/failTask.js';
import { getCounts } from './queries/getCounts.js';
import { getTask } from './queries/getTask.js';
import { knownAudioPaths } from './queries/knownAudioPaths.js';
import { getProcessingTasks, listTasks } from './queries/listTasks.js';
import { moveToFront } from './queries/moveToFront.js';
import { nextAvailableAt } from './queries/nextAvailableAt.js';
import { completeRecording, createTranscription } from './queries/recordings.js';
import { recoverAbandoned } from './queries/recoverAbandoned.js';
import { requeueTask } from './queries/requeueTask.js';
import { retryAllFailed, retryTask } from './queries/retryTask.js';
import { saveProgress } from './queries/saveProgress.js';
import { markSidecar, pendingSidecars } from './queries/sidecars.js';
import {
  deleteTranscription,
  getTranscription,
  listTranscriptions,
  setFileFingerprint,
} from './queries/transcriptions.js';
import { immediate } from './statements.js';

/**
 * The embedded store. better-sqlite3 is synchronous, and each statement here
 * takes microseconds, so the async interface simply wraps the calls; a
 * PostgreSQL store will implement the same interface with real awaits.
 */
export class SqliteStore implements TaskStore {
  private constructor(
    readonly db: Db,
    private readonly checkpointer: BackgroundCheckpointer | null,
  ) {}

  /** Opens the database file and brings its schema up to date. */
  static open(file: string, options: OpenOptions = {}): SqliteStore {
    const db = openDatabase(file, options);
    try {
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    const background = options.backgroundCheckpoints && file !== ':memory:' && !options.readonly;
    return new SqliteStore(db, background ? BackgroundCheckpointer.start(file) : null);
  }

  async addTask(audio: NewAudio, now: number, maxRetries: number): Promise<EnqueueResult> {
    return immediate(this.db, () => addTask(this.db, audio, now, maxRetries));
  }

  async addTasks(batch: readonly NewAudio[], now: number, maxRetries: number): Promise<number> {
    return immediate(this.db, () => {
      let created = 0;
      for (const audio of batch) {
        if (addTask(this.db, audio, now, maxRetries).created) created++;
        crashPoint('scan'); // half a batch written inside its transaction
      }
      return created;
    });
  }

  async adoptSidecars(batch: readonly AdoptedSidecar[], now: number): Promise<number> {
    return immediate(this.db, () => batch.filter((sidecar) => adoptSidecar(this.db, sidecar, now)).length);
  }

  async knownAudioPaths(): Promise<Set<string>> {
    return knownAudioPaths(this.db);
  }

  async claimNext(workerId: string, now: number): Promise<Task | null> {
    return claimNextTask(this.db, workerId, now);
  }

  async saveProgress(taskId: number, workerId: string, progress: number, now: number): Promise<boolean> {
    return saveProgress(this.db, taskId, workerId, progress, now);
  }

  async saveCheckpoint(
    taskId: number,
    workerId: string,
    chunk: ChunkResult,
    progress: number,
    now: number,
  ): Promise<boolean> {
    return saveCheckpoint(this.db, taskId, workerId, chunk, progress, now);
  }

  async loadCheckpoint(taskId: number): Promise<Checkpoint> {
    return loadCheckpoint(this.db, taskId);
  }

  async clearCheckpoint(taskId: number): Promise<void> {
    clearCheckpoint(this.db, taskId);
  }

  async completeTask(input: CompleteTaskInput): Promise<boolean> {
    return completeTask(this.db, input);
  }

  async failTask(taskId: number, workerId: string, decision: FailureDecision, now: number): Promise<boolean> {
    return failTask(this.db, taskId, workerId, decision, now);
  }

  async requeueTask(
    taskId: number,
    workerId: string,
    now: number,
    options: { preempted: boolean },
  ): Promise<boolean> {
    return requeueTask(this.db, taskId, workerId, now, options);
  }

  async markEngineChild(taskId: number, workerId: string, hearing: boolean): Promise<boolean> {
    return markEngineChild(this.db, taskId, workerId, hearing);
  }

  async recoverAbandoned(now: number): Promise<RecoveryReport> {
    return recoverAbandoned(this.db, now);
  }

  async nextAvailableAt(now: number): Promise<number | null> {
    return nextAvailableAt(this.db, now);
  }

  async retryTask(id: number, now: number): Promise<Task> {
    return retryTask(this.db, id, now);
  }

  async retryAllFailed(now: number): Promise<number> {
    return retryAllFailed(this.db, now);
  }

  async cancelTask(id: number, now: number): Promise<Task> {
    return cancelTask(this.db, id, now);
  }

  async moveToFront(id: number, now: number): Promise<Task> {
    return moveToFront(this.db, id, now);
  }

  async clearCompleted(): Promise<number> {
    return clearCompleted(this.db);
  }

  async setPause(state: PauseState): Promise<void> {
    setPause(this.db, state);
  }

  async getPause(): Promise<PauseState> {
    return getPause(this.db);
  }

  async getTask(id: number): Promise<Task | null> {
    return getTask(this.db, id);
  }

  async getCounts(): Promise<TaskCounts> {
    return getCounts(this.db);
  }

  async listTasks(filter: TaskFilter): Promise<TaskPage> {
    return listTasks(this.db, filter);
  }

  async getProcessingTasks(): Promise<Task[]> {
    return getProcessingTasks(this.db);
  }

  async getTranscription(id: string): Promise<Transcription | null> {
    return getTranscription(this.db, id);
  }

  async listTranscriptions(filter: TranscriptionFilter): Promise<TranscriptionPage> {
    return listTranscriptions(this.db, filter);
  }

  async createTranscription(input: NewTranscription): Promise<Transcription> {
    return createTranscription(this.db, input);
  }

  async completeRecording(input: TranscriptResult & { id: string }): Promise<Transcription> {
    return completeRecording(this.db, input);
  }

  async deleteTranscription(id: string): Promise<void> {
    deleteTranscription(this.db, id);
  }

  async setFileFingerprint(id: string, fileSize: number, fileMtimeMs: number): Promise<void> {
    setFileFingerprint(this.db, id, fileSize, fileMtimeMs);
  }

  async pendingSidecars(): Promise<SidecarJob[]> {
    return pendingSidecars(this.db);
  }

  async markSidecar(transcriptionId: string, state: 'written' | 'kept_existing'): Promise<void> {
    markSidecar(this.db, transcriptionId, state);
  }

  async getSetting(key: string): Promise<string | null> {
    return getSetting(this.db, key);
  }

  async setSetting(key: string, value: string | null): Promise<void> {
    setSetting(this.db, key, value);
  }

  async dataVersion(): Promise<number> {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  async close(): Promise<void> {
    // The thread's connection closes first: the last one to close checkpoints and removes the WAL.
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
