import type { Readable } from 'node:stream';
import { extensionFor } from '../core/audioSniff.js';
import { DuplicateNote } from '../core/errors.js';
import { IMPORTS_FOLDER } from '../core/notes.js';
import { AUDIO_EXTENSIONS, extensionOf, stemOf, transcriptionIdFor } from '../core/orphans.js';
import { recordedAtFor } from '../core/recordedTime.js';
import { Priority, type Task, type TaskLanguage } from '../core/types.js';
import type { NotesFolder } from '../files/notesFolder.js';
import type { HarkServices } from './services.js';

export { IMPORTS_FOLDER };

/** What an upload says beside the file: the browser's lastModified, and whether a duplicate is wanted. */
export interface ImportOptions {
  /** The file's last-modified time on the sender's machine (epoch ms): the recording time, failing the name. */
  lastModified?: number | undefined;
  /** Import it even when its content is already a note (otherwise DuplicateNote, 409). */
  allowDuplicate?: boolean | undefined;
  /** The language (and translation) asked for this file, over its folder's rule; kept with its task. */
  language?: TaskLanguage | undefined;
}

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
 * Saves one uploaded audio file under the notes folder's imports/, never
 * replacing a file there; returns its path in the notes folder.
 */
export async function saveImport(
  services: HarkServices,
  upload: Readable,
  originalName: string,
  tooLarge: () => boolean,
  beforePlacing: (fingerprint: string) => Promise<void> = async () => {},
): Promise<string> {
  const { notes } = services;
  const received = await notes.receive(upload, IMPORTS_FOLDER, tooLarge);
  try {
    await beforePlacing(notes.fingerprintTemporary(received.path));
  } catch (error) {
    notes.discard(received.path);
    throw error;
  }
  const safe = safeFileName(originalName);
  const given = extensionOf(safe);
  const ext = (AUDIO_EXTENSIONS as readonly string[]).includes(given) ? given : extensionFor(received.format);
  const stem = given === ext ? stemOf(safe) : safe;
  // Placed through the notes folder, which tells the scanner the file is Hark's own.
  return notes.place(received.path, IMPORTS_FOLDER, (n) => `${stem}${n === 1 ? '' : ` (${n})`}.${ext}`);
}

/**
 * Imports one uploaded audio file: saved under imports/ (saveImport) and
 * queued at Normal priority, showing the name it had.
 */
export async function importAudio(
  services: HarkServices,
  upload: Readable,
  originalName: string,
  tooLarge: () => boolean,
  options: ImportOptions = {},
): Promise<Task> {
  const { notes, queue } = services;
  let fingerprint: string | null = null;
  const audioPath = await saveImport(services, upload, originalName, tooLarge, async (print) => {
    fingerprint = print;
    if (options.allowDuplicate) return;
    const [existing] = await queue.findByFingerprints([print]);
    if (existing) throw new DuplicateNote(existing.id, existing.title);
  });
  const stat = notes.stat(audioPath);
  if (!stat) throw new Error(`import ${audioPath} vanished as it arrived`);
  let queued: Awaited<ReturnType<typeof queue.addTask>>;
  try {
    queued = await queue.addTask({
      transcriptionId: transcriptionIdFor(audioPath),
      audioPath,
      source: 'imported',
      originalName: safeFileName(originalName),
      taskType: 'transcribe_imported',
      priority: Priority.Normal,
      fileSize: stat.size,
      fileMtimeMs: stat.mtimeMs,
      origin: 'imported',
      fingerprint,
      language: options.language,
      // The name the sender gave may carry the time; else the sender's lastModified; else now (its mtime).
      recordedAt: recordedAtFor(safeFileName(originalName), options.lastModified ?? stat.mtimeMs),
    });
  } catch (error) {
    // Not queued (the database is locked, the disk full): the sender is told it failed and sends
    // the file again, so this copy goes, or the retry would make a second one ("name (2).wav").
    notes.remove(audioPath);
    throw error;
  }
  if (!queued.task) throw new Error(`import of ${audioPath} was not queued`);
  return queued.task;
}

/**
 * Deletes imports that a crash (a kill, a power cut) cut off while they were
 * arriving: hidden `.hark-upload-*.part` files in imports/. Their sender was
 * never told they arrived, so it sends them again, and nothing else would
 * ever delete them (up to the upload limit each; the crash soak found them
 * piling up). Only the running app receives imports, so at its start, before
 * it serves, any such file is abandoned. (A recording's own temporary file is
 * kept in its dated folder and recovered instead: RecordingFlow.)
 */
export function removeAbandonedImports(notes: NotesFolder): number {
  return notes.removeTemporaryUploads(IMPORTS_FOLDER);
}
