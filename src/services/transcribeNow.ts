import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
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
  const insidePath = notes.locate(file);
  const inside = insidePath !== null && insidePath !== '';
  // A file elsewhere is the CLI user's own, read only to copy it in: the API sends only notes paths.
  if (inside ? notes.stat(insidePath) === null : !isRegularFile(absolute)) throw new FileMissing(file);
  if (!isAudioFileName(basename(absolute))) {
    throw new HarkError('unsupported_media', `${basename(absolute)} does not have an audio file extension`);
  }
  const audioPath = inside ? insidePath : copyIntoImports(services, absolute);
  const { source, originalName } = classifyAudio(audioPath);
  const id = transcriptionIdFor(audioPath);
  await queue.createForegroundTranscription({
    id,
    audioPath,
    source: source === 'orphan' ? 'recording' : source,
    originalName: inside ? originalName : basename(absolute),
    recordedAt: notes.stat(audioPath)?.mtimeMs ?? services.clock.now(),
  });
  return { ...(await foreground.transcribe(id)), audioPath };
}

function isRegularFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A file from outside the notes folder is copied into imports/, never over a file there. */
function copyIntoImports(services: HarkServices, absolute: string): string {
  const name = safeFileName(basename(absolute));
  return services.notes.copyIn(absolute, IMPORTS_FOLDER, (n) =>
    n === 1 ? name : `${stemOf(name)} (${n}).${extensionOf(name)}`,
  );
}
