import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/**
 * Records the audio length of a note not transcribed yet, as probed before its run (the engine's
 * own figure replaces it when the transcript is written). Never over a length already known.
 */
export function setProbedDuration(db: Db, transcriptionId: string, seconds: number): boolean {
  return (
    stmt(
      db,
      `UPDATE transcriptions SET duration = @seconds WHERE id = @transcriptionId AND duration IS NULL`,
    ).run({ transcriptionId, seconds }).changes > 0
  );
}
