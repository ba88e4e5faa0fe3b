import type pg from 'pg';
import { DEFAULT_LEASE_MS } from '../../core/leases.js';
import type { TaskRepository } from '../../core/store.js';
import { inTransaction } from './pool.js';
import { addTask } from './queries/addTask.js';
import { addTasks } from './queries/addTasks.js';
import { cancelPending } from './queries/cancelPending.js';
import { cancelTask } from './queries/cancelTask.js';
import { claimNext } from './queries/claimNext.js';
import { clearCheckpoint } from './queries/clearCheckpoint.js';
import { clearCompleted } from './queries/clearCompleted.js';
import { completeTask } from './queries/completeTask.js';
import { deleteTask } from './queries/deleteTask.js';
import { deleteTasks } from './queries/deleteTasks.js';
import { failTask } from './queries/failTask.js';
import { getCounts } from './queries/getCounts.js';
import { getProcessingTasks } from './queries/getProcessingTasks.js';
import { getTask } from './queries/getTask.js';
import { leaveForAnotherNode } from './queries/leaveForAnotherNode.js';
import { listTasks } from './queries/listTasks.js';
import { loadCheckpoint } from './queries/loadCheckpoint.js';
import { markEngineChild } from './queries/markEngineChild.js';
import { moveToFront } from './queries/moveToFront.js';
import { nextAvailableAt } from './queries/nextAvailableAt.js';
import { pendingAudioTotals } from './queries/pendingAudioTotals.js';
import { pruneCompleted } from './queries/pruneCompleted.js';
import { reclaimExpired } from './queries/reclaimExpired.js';
import { recoverAbandoned } from './queries/recoverAbandoned.js';
import { renewLease } from './queries/renewLease.js';
import { requeueTask } from './queries/requeueTask.js';
import { retryAllFailed, retryTask } from './queries/retryTask.js';
import { saveCheckpoint } from './queries/saveCheckpoint.js';
import { saveProgress } from './queries/saveProgress.js';
import { unknownDurations } from './queries/unknownDurations.js';

/**
 * The task aggregate on PostgreSQL. Single-statement operations run on the pool; those of
 * several statements run in one transaction. Plain functions rather than methods, so the
 * repository can be passed around (or spread) without binding.
 */
export function postgresTasks(pool: pg.Pool): TaskRepository {
  return {
    addTask: (audio, now, maxRetries) => inTransaction(pool, (c) => addTask(c, audio, now, maxRetries)),
    addTasks: (batch, now, maxRetries) => inTransaction(pool, (c) => addTasks(c, batch, now, maxRetries)),
    claimNext: (workerId, now, leaseMs = DEFAULT_LEASE_MS, filter = {}) =>
      claimNext(pool, workerId, now, leaseMs, filter.maxDurationSeconds),
    unknownDurations: (limit) => unknownDurations(pool, limit),
    saveProgress: (taskId, workerId, progress, now) => saveProgress(pool, taskId, workerId, progress, now),
    saveCheckpoint: (taskId, workerId, chunk, progress, now) =>
      saveCheckpoint(pool, taskId, workerId, chunk, progress, now),
    loadCheckpoint: (taskId) => loadCheckpoint(pool, taskId),
    clearCheckpoint: (taskId) => clearCheckpoint(pool, taskId),
    completeTask: (input) => inTransaction(pool, (c) => completeTask(c, input)),
    failTask: (taskId, workerId, decision, now) => failTask(pool, taskId, workerId, decision, now),
    requeueTask: (taskId, workerId, now, options) =>
      inTransaction(pool, (c) => requeueTask(c, taskId, workerId, now, options)),
    leaveForAnotherNode: (taskId, workerId, now) =>
      inTransaction(pool, (c) => leaveForAnotherNode(c, taskId, workerId, now)),
    markEngineChild: (taskId, workerId, hearing) => markEngineChild(pool, taskId, workerId, hearing),
    recoverAbandoned: (now) => inTransaction(pool, (c) => recoverAbandoned(c, now)),
    renewLease: (taskId, workerId, now, leaseMs) => renewLease(pool, taskId, workerId, now, leaseMs),
    reclaimExpired: (now) => inTransaction(pool, (c) => reclaimExpired(c, now)),
    nextAvailableAt: (now) => nextAvailableAt(pool, now),
    retryTask: (id, now) => inTransaction(pool, (c) => retryTask(c, id, now)),
    retryAllFailed: (now) => inTransaction(pool, (c) => retryAllFailed(c, now)),
    cancelTask: (id, now) => inTransaction(pool, (c) => cancelTask(c, id, now)),
    cancelPending: (now) => cancelPending(pool, now),
    moveToFront: (id, now) => inTransaction(pool, (c) => moveToFront(c, id, now)),
    clearCompleted: (status) => clearCompleted(pool, status),
    pruneCompleted: (before) => pruneCompleted(pool, before),
    deleteTask: (id) => inTransaction(pool, (c) => deleteTask(c, id)),
    deleteTasks: (ids) => inTransaction(pool, (c) => deleteTasks(c, ids)),
    getTask: (id) => getTask(pool, id),
    getCounts: () => getCounts(pool),
    listTasks: (filter) => listTasks(pool, filter),
    getProcessingTasks: () => getProcessingTasks(pool),
    pendingAudioTotals: () => pendingAudioTotals(pool),
  };
}
