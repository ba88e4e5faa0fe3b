import type { AttemptEnd } from '../../../core/store.js';
import type { Db } from '../../open.js';
import { stmt } from '../../statements.js';

/** Closes an attempt with its outcome. An attempt already closed (as `lost`) keeps what it says. */
export function endAttempt(db: Db, id: number, end: AttemptEnd): void {
  stmt(
    db,
    `UPDATE task_attempts
     SET ended_at = @endedAt, outcome = @outcome, error_kind = @errorKind, audio_seconds = @audioSeconds
     WHERE id = @id AND ended_at IS NULL`,
  ).run({ id, ...end });
}
