import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  copyFileSync,
  createWriteStream,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES, type SniffedFormat, sniffAudio } from '../core/audioSniff.js';
import { HarkError } from '../core/errors.js';

/** A hidden name in `dir` for a file still arriving: the scanner never takes hidden files. */
export function temporaryUploadPath(dir: string): string {
  return join(dir, `.hark-upload-${randomBytes(6).toString('hex')}.part`);
}

/** Whether a file name is one temporaryUploadPath() gives. */
export function isTemporaryUploadName(name: string): boolean {
  return /^\.hark-upload-[0-9a-f]{12}\.part$/.test(name);
}

/** A file received whole, still under its hidden name. */
export interface ReceivedFile {
  path: string;
  format: SniffedFormat;
  size: number;
}

/**
 * Streams an upload to a hidden temporary file in `dir` (never into memory),
 * then checks that its first bytes are audio. Anything else is deleted and
 * refused, as is a stream the size limit cut short.
 */
export async function receiveAudio(
  stream: Readable,
  dir: string,
  tooLarge: () => boolean,
  path: string = temporaryUploadPath(dir),
): Promise<ReceivedFile> {
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(path, { flags: 'wx', flush: true });
  try {
    await pipeline(stream, file);
    if (tooLarge()) throw new HarkError('payload_too_large', 'The file is larger than the upload limit');
    const head = readHead(path);
    const format = sniffAudio(head.bytes);
    if (!format) {
      throw new HarkError(
        'unsupported_media',
        head.size === 0
          ? 'The file is empty'
          : 'The file is not audio Hark can read (wav, mp3, m4a, ogg, opus, webm, flac)',
      );
    }
    return { path, format, size: head.size };
  } catch (error) {
    // A failed pipeline can reject while the file is still being opened: removed before the
    // open lands, it would be created again just after (an empty part file left behind).
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    rmSync(path, { force: true });
    throw error;
  }
}

/** The audio format of a file on disk, from its first bytes; null when not audio. */
export function sniffFile(path: string): SniffedFormat | null {
  return sniffAudio(readHead(path).bytes);
}

function readHead(path: string): { bytes: Uint8Array; size: number } {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const read = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    return { bytes: buffer.subarray(0, read), size: fstatSync(fd).size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Moves a received file into `dir` under the first free name of
 * `nameFor(1)`, `nameFor(2)` …: it never replaces a file. Linking fails if
 * the name exists, so two uploads cannot claim the same name.
 */
export function placeWithoutOverwriting(
  tempPath: string,
  dir: string,
  nameFor: (n: number) => string,
): string {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n < 10_000; n++) {
    const name = nameFor(n);
    try {
      claimName(tempPath, join(dir, name));
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
  }
  throw new HarkError('internal', `Could not find a free name for ${nameFor(1)}`);
}

function claimName(from: string, to: string): void {
  try {
    linkSync(from, to);
    rmSync(from, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    // A filesystem without hard links: claim the name with an exclusive create, then rename over it.
    closeSync(openSync(to, 'wx'));
    renameSync(from, to);
  }
}

/**
 * Copies `source` into `dir` under the first free name of `nameFor(1)`,
 * `nameFor(2)` …; the exclusive copy fails if the name exists, so it never
 * replaces a file.
 */
export function copyWithoutOverwriting(source: string, dir: string, nameFor: (n: number) => string): string {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n < 10_000; n++) {
    const name = nameFor(n);
    try {
      copyFileSync(source, join(dir, name), constants.COPYFILE_EXCL);
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new HarkError('internal', `Could not find a free name for ${nameFor(1)}`);
}

/** Deletes the part files (temporaryUploadPath) in `dir`; returns how many. */
export function removeTemporaryUploads(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // no such folder yet
  }
  const abandoned = names.filter(isTemporaryUploadName);
  for (const name of abandoned) rmSync(join(dir, name), { force: true });
  return abandoned.length;
}
