import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extensionFor } from '../core/audioSniff.js';
import { AUDIO_EXTENSIONS, extensionOf, stemOf, transcriptionIdFor } from '../core/orphans.js';
import { Priority, type Task } from '../core/types.js';
import type { HarkServices } from './services.js';
import { placeWithoutOverwriting, receiveAudio } from './uploads.js';

export const IMPORTS_FOLDER = 'imports';

/**
 * A file name from a browser or another machine, made safe to create: no
 * folders, no NUL or control characters, no leading dot (hidden), not too
 * long for the filesystem. What the user sees stays the original name.
 */
export function safeFileName(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  let safe = [...base]
    .filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .replace(/^\.+/, '');
  while (Buffer.byteLength(safe) > 200) safe = safe.slice(0, -1);
  return safe.length > 0 ? safe : 'audio';
}

/**
 * Imports one uploaded audio file: saved under the notes folder's imports/
 * (never replacing a file there) and queued at Normal priority, showing the
 * name it had.
 */
export async function importAudio(
  services: HarkServices,
  upload: Readable,
  originalName: string,
  tooLarge: () => boolean,
): Promise<Task> {
  const { notes, queue } = services;
  const dir = join(notes.root, IMPORTS_FOLDER);
  const received = await receiveAudio(upload, dir, tooLarge);
  const safe = safeFileName(originalName);
  const given = extensionOf(safe);
  const ext = (AUDIO_EXTENSIONS as readonly string[]).includes(given) ? given : extensionFor(received.format);
  const stem = given === ext ? stemOf(safe) : safe;
  const name = placeWithoutOverwriting(
    received.path,
    dir,
    (n) => `${stem}${n === 1 ? '' : ` (${n})`}.${ext}`,
  );
  const audioPath = `${IMPORTS_FOLDER}/${name}`;
  const stat = statSync(join(dir, name));
  const { task } = await queue.addTask({
    transcriptionId: transcriptionIdFor(audioPath),
    audioPath,
    source: 'imported',
    originalName: safeFileName(originalName),
    taskType: 'transcribe_imported',
    priority: Priority.Normal,
    fileSize: stat.size,
    fileMtimeMs: Math.floor(stat.mtimeMs),
  });
  if (!task) throw new Error(`import of ${audioPath} was not queued`);
  return task;
}
