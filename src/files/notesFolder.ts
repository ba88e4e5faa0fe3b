import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BadRequest } from '../core/errors.js';

export interface FileStat {
  size: number;
  mtimeMs: number;
}

export type SidecarWriteResult = 'written' | 'kept_existing';

/**
 * The notes folder: where audio and transcripts live. Paths in the database
 * are relative to it with '/' separators; this turns them into real paths and
 * refuses any that would leave the folder.
 */
export class NotesFolder {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The absolute path of a relative one; throws for any path that would escape the folder. */
  resolve(relativePath: string): string {
    if (relativePath.includes('\0') || isAbsolute(relativePath)) throw new BadRequest('Invalid path');
    const absolute = resolve(this.root, relativePath.split('/').join(sep));
    const back = relative(this.root, absolute);
    if (back === '' || back.startsWith('..') || isAbsolute(back))
      throw new BadRequest('Path is outside the notes folder');
    return absolute;
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

  /** Creates a folder (and its parents) inside the notes folder. */
  ensureFolder(relativePath: string): void {
    mkdirSync(this.resolve(relativePath), { recursive: true });
  }

  readText(relativePath: string): string {
    return readFileSync(this.resolve(relativePath), 'utf8');
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

  private readIfExists(path: string): string | null {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
