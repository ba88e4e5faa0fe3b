import type { PendingAudioTotals } from '../../../core/etaTotal.js';
import type { Queryable } from '../pool.js';

/** The pending tasks' audio still to hear, summed in one pass (SQLite's pendingAudioTotals). */
export async function pendingAudioTotals(q: Queryable): Promise<PendingAudioTotals> {
  const { rows } = await q.query<{ known_seconds: number | null; known: string; total: string }>(
    `SELECT SUM(t.duration - bt.checkpoint_seconds) FILTER (WHERE t.duration - bt.checkpoint_seconds > 0)
              AS known_seconds,
            COUNT(*) FILTER (WHERE t.duration - bt.checkpoint_seconds > 0) AS known,
            COUNT(*) AS total
     FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id
     WHERE bt.status = 'pending'`,
  );
  const row = rows[0];
  const known = Number(row?.known ?? 0);
  return { knownSeconds: Number(row?.known_seconds ?? 0), known, unknown: Number(row?.total ?? 0) - known };
}
