import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** The audio's length, measured before it is transcribed; a length already known (a transcript's) is kept. */
export function setAudioDuration(db: Db, id: string, seconds: number): void {
  stmt<[number, string]>(db, `UPDATE transcriptions SET duration = ? WHERE id = ? AND duration IS NULL`).run(
    seconds,
    id,
  );
}
