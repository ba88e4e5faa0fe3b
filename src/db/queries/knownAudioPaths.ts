import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Every audio path with a transcription row. Plucked and raw: this runs at every scan of a big folder. */
export function knownAudioPaths(db: Db): Set<string> {
  const paths = stmt<[], string>(db, 'SELECT audio_path FROM transcriptions').pluck().raw(false).all();
  return new Set(paths);
}
