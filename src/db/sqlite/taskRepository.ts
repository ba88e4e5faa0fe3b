import { crashPoint } from '../../core/crashPoints.js';
import type { ChunkResult } from '../../core/engine.js';
import type { PendingAudioTotals } from '../../core/etaTotal.js';
import { DEFAULT_LEASE_MS } from '../../core/leases.js';
import type { MissDecision } from '../../core/missRule.js';
import type { FailureDecision } from '../../core/retryRules.js';
import type {
  Checkpoint,
  ClaimFilter,
  CompleteTaskInput,
  EnqueueResult,
  RecoveryReport,
  TaskFilter,
  TaskRepository,
} from '../../core/store.js';
import type { NewAudio, Task, TaskCounts, TaskPage } from '../../core/types.js';
import type { Db } from '../open.js';
import { addTask } from '../queries/addTask.js';
import { cancelPending } from '../queries/cancelPending.js';
import { cancelTask } from '../queries/cancelTask.js';
import { clearCheckpoint, loadCheckpoint, saveCheckpoint } from '../queries/checkpoints.js';
import { claimNextTask } from '../queries/claimNextTask.js';
import { clearCompleted } from '../queries/clearCompleted.js';
import { completeTask } from '../queries/completeTask.js';
import { deleteTask } from '../queries/deleteTask.js';
import { deleteTasks } from '../queries/deleteTasks.js';
import { markEngineChild } from '../queries/engineChild.js';
import { failTask } from '../queries/failTask.js';
import { getCounts } from '../queries/getCounts.js';
import { getTask } from '../queries/getTask.js';
import { leaveForAnotherNode } from '../queries/leaveForAnotherNode.js';
import { getProcessingTasks, listTasks } from '../queries/listTasks.js';
import { moveToFront } from '../queries/moveToFront.js';
import { nextAvailableAt } from '../queries/nextAvailableAt.js';
import { pendingAudioTotals } from '../queries/pendingAudioTotals.js';
import { pruneCompleted } from '../queries/pruneCompleted.js';
import { reclaimExpired } from '../queries/reclaimExpired.js';
import { recoverAbandoned } from '../queries/recoverAbandoned.js';
import { renewLease } from '../queries/renewLease.js';
import { requeueTask } from '../queries/requeueTask.js';
import { retryAllFailed, retryTask } from '../queries/retryTask.js';
import { saveProgress } from '../queries/saveProgress.js';
import { unknownDurations } from '../queries/unknownDurations.js';
import { immediate } from '../statements.js';

/**
 * The tasks in SQLite. better-sqlite3 is synchronous, and each statement
 * takes microseconds, so the async interface simply wraps the queries.
 */
export class SqliteTaskRepository implements TaskRepository {
  constructor(private readonly db: Db) {}

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

  async claimNext(
    workerId: string,
    now: number,
    leaseMs = DEFAULT_LEASE_MS,
    filter: ClaimFilter = {},
  ): Promise<Task | null> {
    return claimNextTask(this.db, workerId, now, leaseMs, filter.maxDurationSeconds);
  }

  async unknownDurations(limit: number): Promise<{ transcriptionId: string; audioPath: string }[]> {
    return unknownDurations(this.db, limit);
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

  async leaveForAnotherNode(taskId: number, workerId: string, now: number): Promise<MissDecision | null> {
    return leaveForAnotherNode(this.db, taskId, workerId, now);
  }

  async markEngineChild(taskId: number, workerId: string, hearing: boolean): Promise<boolean> {
    return markEngineChild(this.db, taskId, workerId, hearing);
  }

  async recoverAbandoned(now: number): Promise<RecoveryReport> {
    return recoverAbandoned(this.db, now);
  }

  async renewLease(taskId: number, workerId: string, now: number, leaseMs: number): Promise<boolean> {
    return renewLease(this.db, taskId, workerId, now, leaseMs);
  }

  async reclaimExpired(now: number): Promise<RecoveryReport> {
    return reclaimExpired(this.db, now);
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

  async cancelPending(now: number): Promise<number> {
    return cancelPending(this.db, now);
  }

  async moveToFront(id: number, now: number): Promise<Task> {
    return moveToFront(this.db, id, now);
  }

  async clearCompleted(status: 'completed' | 'cancelled' = 'completed'): Promise<number> {
    return clearCompleted(this.db, status);
  }

  async pruneCompleted(before: number): Promise<number> {
    return pruneCompleted(this.db, before);
  }

  async deleteTask(id: number): Promise<Task> {
    return deleteTask(this.db, id);
  }

  async deleteTasks(ids: readonly number[]): Promise<number> {
    return deleteTasks(this.db, ids);
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

  async pendingAudioTotals(): Promise<PendingAudioTotals> {
    return pendingAudioTotals(this.db);
  }
}
