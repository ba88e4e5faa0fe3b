import type { Db } from '../open.js';
import { stmt } from '../statements.js';

export function knownAudioPaths(db: Db): Set<string> {
  const paths = new Set<string>();
  for (const row of stmt<[], { audio_path: string }>(db, 'SELECT audio_path FROM transcriptions').iterate()) {
    paths.add(row.audio_path);
  }
  return paths;
}
