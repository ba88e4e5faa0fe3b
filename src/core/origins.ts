/**
 * Where a note came from, in plain words: kept apart from notes.ts so that the web app can name a
 * task's origin without bundling the rest of core's note rules. Pure.
 */
import type { Origin, Source } from './types.js';

export const ORIGIN_LABELS: Record<Origin, string> = {
  recorded: 'Recorded in Hark',
  found: 'Found in your notes folder',
  imported: 'Imported',
};

/** Where imports are saved in the notes folder (services/imports.ts). */
export const IMPORTS_FOLDER = 'imports';

/**
 * The origin of a note made before origins were kept, from what the old row says for sure:
 * a recording was recorded in Hark; a file under imports/ was imported through Hark; anything
 * else the scanner found, whatever its name.
 */
export function originOf(source: Source, audioPath: string): Origin {
  if (source === 'recording') return 'recorded';
  if (source === 'imported' && audioPath.startsWith(`${IMPORTS_FOLDER}/`)) return 'imported';
  return 'found';
}
