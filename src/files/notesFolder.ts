import { randomBytes } from 'node:crypto';
import {
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { SniffedFormat } from '../core/audioSniff.js';
import { BadRequest } from '../core/errors.js';
import type { Log } from '../core/log.js';
import { confine } from './confine.js';
import { fingerprintFile } from './fingerprint.js';
import type { FileStat, NotesFiles, OwnFileListener, SidecarWriteResult } from './notesFiles.js';
import {
  copyWithoutOverwriting,
  placeWithoutOverwriting,
  type ReceivedFile,
  receiveAudio,
  removeTemporaryUploads,
  sniffFile,
  temporaryUploadPath,
} from './uploads.js';
import { type FolderListing, type WalkReport, walkTree } from './walk.js';

/** A '/'-separated path of a name in a folder ('' is the notes folder itself). */
function joinRelative(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

/**
 * The notes folder: where audio and transcripts live. Paths in the database
 * are relative to it with '/' separators; this turns them into real paths and
 * refuses any that would leave the folder.
 */
export class NotesFolder implements NotesFiles {
  readonly root: string;
  private readonly listeners = new Set<OwnFileListener>();
  private realRoot: string | null = null;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Listens for the files Hark places and removes (see OwnFileListener); returns the unsubscribe. */
  onOwnFile(listener: OwnFileListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The absolute path of a folder inside the notes folder; '' is the notes folder itself. */
  private folder(relativeFolder: string): string {
    return relativeFolder === '' ? this.root : this.resolve(relativeFolder);
  }

  /** A hidden path in `relativeFolder` for a file still arriving (the scanner never takes hidden files). */
  temporaryPath(relativeFolder: string): string {
    return temporaryUploadPath(this.folder(relativeFolder));
  }

  /** Streams an upload to a hidden part file in `relativeFolder` and checks it is audio (receiveAudio). */
  receive(
    stream: Readable,
    relativeFolder: string,
    tooLarge: () => boolean,
    temporary: string = this.temporaryPath(relativeFolder),
  ): Promise<ReceivedFile> {
    return receiveAudio(stream, this.folder(relativeFolder), tooLarge, temporary);
  }

  /**
   * Gives a received part file (an absolute path from temporaryPath) its name
   * in `relativeFolder`, the first free one of nameFor(1), nameFor(2) …, never
   * replacing a file; returns its path in the notes folder.
   */
  place(temporary: string, relativeFolder: string, nameFor: (n: number) => string): string {
    const name = placeWithoutOverwriting(temporary, this.folder(relativeFolder), nameFor);
    return this.announce(joinRelative(relativeFolder, name));
  }

  /** Copies a file from anywhere into `relativeFolder` under the first free name; returns its path. */
  copyIn(source: string, relativeFolder: string, nameFor: (n: number) => string): string {
    const name = copyWithoutOverwriting(source, this.folder(relativeFolder), nameFor);
    return this.announce(joinRelative(relativeFolder, name));
  }

  /** Deletes a received part file (temporaryPath) that is not to be placed after all. */
  discard(temporary: string): void {
    rmSync(temporary, { force: true });
  }

  /** The content fingerprint of a received part file, before it is placed. */
  fingerprintTemporary(temporary: string): string {
    return fingerprintFile(temporary);
  }

  /** Removes a file Hark placed (an import that could not be queued, an empty part file). */
  remove(relativePath: string): void {
    rmSync(this.resolve(relativePath), { force: true });
    for (const listener of this.listeners) listener.removed(relativePath);
  }

  /** Deletes the part files a crash left in `relativeFolder`; returns how many. */
  removeTemporaryUploads(relativeFolder: string): number {
    return removeTemporaryUploads(this.folder(relativeFolder));
  }

  /** The audio format of a file from its first bytes; null when it is not audio. */
  sniff(relativePath: string): SniffedFormat | null {
    return sniffFile(this.resolve(relativePath));
  }

  private announce(relativePath: string): string {
    for (const listener of this.listeners) listener.placed(relativePath);
    return relativePath;
  }

  /** The notes folder's real path, once (the folder itself may be reached through a link). */
  private get rootReal(): string {
    const real = this.realRoot ?? realpathSync(this.root);
    this.realRoot = real;
    return real;
  }

  /**
   * Where `path` (relative to the folder, or absolute) leads in the notes
   * folder: its '/'-separated relative path ('' for the folder itself), or
   * null when it leads out, by `..`, by an absolute path elsewhere or through
   * a symbolic link (confine.ts: the one rule).
   */
  locate(path: string): string | null {
    return confine(this.root, this.rootReal, path.split('/').join(sep));
  }

  /** The absolute path of a relative one; throws for any path that would escape the folder. */
  resolve(relativePath: string): string {
    if (relativePath.includes('\0') || isAbsolute(relativePath)) throw new BadRequest('Invalid path');
    const inside = this.locate(relativePath);
    if (inside === null || inside === '') throw new BadRequest('Path is outside the notes folder');
    return join(this.root, inside);
  }

  /** The '/'-separated path of an absolute one inside the folder. */
  relativeOf(absolutePath: string): string {
    return relative(this.root, absolutePath).split(sep).join('/');
  }

  /** Size and mtime, or null when the file does not exist. */
  stat(relativePath: string): FileStat | null {
    try {
      const stats = statSync(this.resolve(relativePath));
      return stats.isFile() ? { size: stats.size, mtimeMs: Math.floor(stats.mtimeMs) } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** stat() of a file a walk just listed: by name, not confined again (see NotesFiles.statListed). */
  statListed(relativePath: string): FileStat | null {
    try {
      const stats = statSync(`${this.root}/${relativePath}`);
      return { size: stats.size, mtimeMs: Math.floor(stats.mtimeMs) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Lists every folder once (walk.ts). */
  walk(report: WalkReport, log?: Log): Iterable<FolderListing> {
    return walkTree(this.root, report, log);
  }

  /** Whether anything (a file, a folder) is at the path. */
  exists(relativePath: string): boolean {
    return existsSync(this.resolve(relativePath));
  }

  /** Creates a folder (and its parents) inside the notes folder. */
  ensureFolder(relativePath: string): void {
    mkdirSync(this.resolve(relativePath), { recursive: true });
  }

  readText(relativePath: string): string {
    return readFileSync(this.resolve(relativePath), 'utf8');
  }

  fingerprint(relativePath: string): string | null {
    try {
      return fingerprintFile(this.resolve(relativePath));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Moves a file inside the folder, never over another (a sidecar following its audio). */
  move(from: string, to: string): boolean {
    const target = this.resolve(to);
    mkdirSync(dirname(target), { recursive: true });
    return moveWithoutOverwriting(this.resolve(from), target);
  }

  /**
   * Takes a file out of the folder to `absoluteTarget` (the trash, in the data folder). Its path
   * stays Hark's: the scanner is not told it was removed, so it never becomes an orphan.
   * False when there was no file.
   */
  moveOut(relativePath: string, absoluteTarget: string): boolean {
    mkdirSync(dirname(absoluteTarget), { recursive: true });
    return moveWithoutOverwriting(this.resolve(relativePath), absoluteTarget);
  }

  /** Brings a file back from outside (the trash) to its path; false when the path is taken. */
  moveIn(absoluteSource: string, relativePath: string): boolean {
    const target = this.resolve(relativePath);
    mkdirSync(dirname(target), { recursive: true });
    if (!moveWithoutOverwriting(absoluteSource, target)) return false;
    this.announce(relativePath);
    return true;
  }

  /**
   * Writes a transcript beside its audio, atomically and without ever
   * replacing a file Hark did not write: the text goes to a hidden temporary
   * file, which is then hard-linked to the final name (linking fails if the
   * name exists). A file already there with the same text counts as written.
   */
  writeSidecar(relativePath: string, text: string): SidecarWriteResult {
    const target = this.resolve(relativePath);
    const content = text.endsWith('\n') ? text : `${text}\n`;
    const existing = this.readIfExists(target);
    if (existing !== null) return existing === content ? 'written' : 'kept_existing';
    mkdirSync(dirname(target), { recursive: true });
    const temporary = join(dirname(target), `.hark-${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(temporary, content, { flag: 'wx', flush: true });
    try {
      linkSync(temporary, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        return this.readIfExists(target) === content ? 'written' : 'kept_existing';
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      // A filesystem without hard links: the existence check above is the best we can do there.
      renameSync(temporary, target);
      return 'written';
    } finally {
      try {
        unlinkSync(temporary);
      } catch {
        // already renamed, or gone
      }
    }
    return 'written';
  }

  /**
   * Rewrites a sidecar Hark wrote (an edited transcript), atomically, only while the file still
   * holds what Hark wrote there (`previous`): a file the user changed since is theirs and kept.
   * A file that is gone is written again.
   */
  rewriteSidecar(relativePath: string, previous: string, text: string): SidecarWriteResult {
    const target = this.resolve(relativePath);
    const withNewline = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
    const existing = this.readIfExists(target);
    if (existing === null) return this.writeSidecar(relativePath, text);
    if (existing === withNewline(text)) return 'written';
    if (existing !== withNewline(previous)) return 'kept_existing';
    const temporary = join(dirname(target), `.hark-${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(temporary, withNewline(text), { flag: 'wx', flush: true });
    renameSync(temporary, target);
    return 'written';
  }

  private readIfExists(path: string): string | null {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

/**
 * Moves `from` to `to` unless `to` exists: a hard link claims the name atomically (it fails
 * when taken); across filesystems an exclusive copy does. False when `to` is taken or `from` gone.
 */
function moveWithoutOverwriting(from: string, to: string): boolean {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
    try {
      copyFileSync(from, to, constants.COPYFILE_EXCL);
    } catch (copyError) {
      const copyCode = (copyError as NodeJS.ErrnoException).code;
      if (copyCode === 'EEXIST' || copyCode === 'ENOENT') return false;
      throw copyError;
    }
  }
  rmSync(from, { force: true });
  return true;
}
