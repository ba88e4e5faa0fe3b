import type { AttemptEnd } from '../../../../core/store.js';
import type { Queryable } from '../../pool.js';

/** Closes an attempt with its outcome. An attempt already closed (as `lost`) keeps what it says. */
export async function endAttempt(q: Queryable, id: number, end: AttemptEnd): Promise<void> {
  await q.query(
    `UPDATE task_attempts SET ended_at = $2, outcome = $3, error_kind = $4, audio_seconds = $5
     WHERE id = $1 AND ended_at IS NULL`,
    [id, end.endedAt, end.outcome, end.errorKind, end.audioSeconds],
  );
}
