import type pg from 'pg';
import type { HistoryRepository } from '../../core/store.js';
import { inTransaction } from './pool.js';
import { endAttempt } from './queries/history/endAttempt.js';
import {
  attemptsSince,
  listAttempts,
  taskSpansSince,
  totalAudioSeconds,
  transcribedSince,
} from './queries/history/readHistory.js';
import { recentSpeed } from './queries/history/recentSpeed.js';
import { startAttempt } from './queries/history/startAttempt.js';

/** Task attempts and the statistics' reads, on PostgreSQL. */
export function postgresHistory(pool: pg.Pool): HistoryRepository {
  return {
    startAttempt: (input) => inTransaction(pool, (c) => startAttempt(c, input)),
    endAttempt: (id, end) => endAttempt(pool, id, end),
    listAttempts: (taskId) => listAttempts(pool, taskId),
    attemptsSince: (since) => attemptsSince(pool, since),
    transcribedSince: (since) => transcribedSince(pool, since),
    totalAudioSeconds: () => totalAudioSeconds(pool),
    taskSpansSince: (since) => taskSpansSince(pool, since),
    recentSpeed: (engine, limit) => recentSpeed(pool, engine, limit),
  };
}
