import { constants, copyFileSync, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { FileMissing, HarkError } from '../core/errors.js';
import { classifyAudio, extensionOf, isAudioFileName, stemOf, transcriptionIdFor } from '../core/orphans.js';
import type { ForegroundResult, ForegroundTranscriber } from '../queue/foreground.js';
import { IMPORTS_FOLDER, safeFileName } from './imports.js';
import type { HarkServices } from './services.js';

/**
 * `hark transcribe-now <file>`: transcribes a file in the foreground, as a
 * recording is, ahead of all background work. A file outside the notes folder
 * is copied into its imports/ folder first, so the transcript has a home.
 */
export async function transcribeNow(
  services: HarkServices,
  foreground: ForegroundTranscriber,
  file: string,
): Promise<ForegroundResult & { audioPath: string }> {
  const { notes, queue } = services;
  const absolute = resolve(notes.root, file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new FileMissing(file);
  if (!isAudioFileName(basename(absolute))) {
    throw new HarkError('unsupported_media', `${basename(absolute)} does not have an audio file extension`);
  }
  const inside = absolute.startsWith(`${notes.root}/`);
  const audioPath = inside ? notes.relativeOf(absolute) : copyIntoImports(services, absolute);
  const { source, originalName } = classifyAudio(audioPath);
  const id = transcriptionIdFor(audioPath);
  await queue.createForegroundTranscription({
    id,
    audioPath,
    source: source === 'orphan' ? 'recording' : source,
    originalName: inside ? originalName : basename(absolute),
    recordedAt: Math.floor(statSync(notes.resolve(audioPath)).mtimeMs),
  });
  return { ...(await foreground.transcribe(id)), audioPath };
}

function copyIntoImports(services: HarkServices, absolute: string): string {
  const name = safeFileName(basename(absolute));
  const dir = join(services.notes.root, IMPORTS_FOLDER);
  services.notes.ensureFolder(IMPORTS_FOLDER);
  for (let n = 1; n < 10_000; n++) {
    const candidate = n === 1 ? name : `${stemOf(name)} (${n}).${extensionOf(name)}`;
    try {
      copyFileSync(absolute, join(dir, candidate), constants.COPYFILE_EXCL);
      return `${IMPORTS_FOLDER}/${candidate}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new HarkError('internal', `Could not find a free name for ${name} in ${IMPORTS_FOLDER}/`);
}
