import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/**
 * The next pending tasks (in claim order) whose audio length is not known yet: what a
 * `--parallel` worker probes, so that it can tell the short ones (claimNextTask's short claim).
 */
export function unknownDurations(db: Db, limit: number): { transcriptionId: string; audioPath: string }[] {
  return stmt<[unknown], { transcriptionId: string; audioPath: string }>(
    db,
    `SELECT t.id AS transcriptionId, t.audio_path AS audioPath
     FROM background_tasks bt INDEXED BY background_tasks_claim_order
     JOIN transcriptions t ON t.id = bt.transcription_id
     WHERE bt.status = 'pending' AND t.duration IS NULL
     ORDER BY bt.priority DESC, bt.order_key, bt.id
     LIMIT @limit`,
  ).all({ limit });
}
