import type { PendingAudioTotals } from '../../core/etaTotal.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/**
 * The pending tasks' audio still to hear, summed in one pass (not a row per task: a queue may hold
 * 100,000, and the status reads this on every change): as core's pendingAudioTotals counts it.
 */
export function pendingAudioTotals(db: Db): PendingAudioTotals {
  const row = stmt<[], { knownSeconds: number | null; known: number; total: number }>(
    db,
    `SELECT SUM(CASE WHEN t.duration - bt.checkpoint_seconds > 0 THEN t.duration - bt.checkpoint_seconds END)
              AS knownSeconds,
            COUNT(CASE WHEN t.duration - bt.checkpoint_seconds > 0 THEN 1 END) AS known,
            COUNT(*) AS total
     FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id
     WHERE bt.status = 'pending'`,
  ).get();
  const known = row?.known ?? 0;
  return { knownSeconds: row?.knownSeconds ?? 0, known, unknown: (row?.total ?? 0) - known };
}
