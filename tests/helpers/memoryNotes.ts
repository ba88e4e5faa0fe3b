import type { Log } from '../../src/core/log.js';
import { isHidden } from '../../src/core/orphans.js';
import { fingerprintBytes } from '../../src/files/fingerprint.js';
import type {
  FileStat,
  NotesFiles,
  OwnFileListener,
  SidecarWriteResult,
} from '../../src/files/notesFiles.js';
import type { FolderListing, WalkReport } from '../../src/files/walk.js';

interface MemoryFile {
  content: string;
  mtimeMs: number;
}

function notFound(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file, '${path}'`), { code: 'ENOENT' });
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * A notes folder in memory, for the scanner's and the queue's unit tests:
 * files are a map of relative paths, with an mtime the test sets, so a test
 * stages a tree of any size, a file still being written or one dated in the
 * future without touching the disk. What real filesystems do (links,
 * permissions, odd names) is tested against NotesFolder on disk.
 */
export class MemoryNotes implements NotesFiles {
  readonly root = '/memory/notes';
  private readonly files = new Map<string, MemoryFile>();
  private readonly listeners = new Set<OwnFileListener>();
  /** Folders a walk cannot read (as a folder without permissions would be). */
  readonly unreadable = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Puts a file there, as a user or another program would (the scanner is not told). */
  write(path: string, content = 'audio', mtimeMs = this.now() - 60_000): void {
    this.files.set(path, { content, mtimeMs });
  }

  /** Puts a file there as Hark does (an import, a recording): the scanner is told. */
  place(path: string, content = 'audio'): void {
    this.write(path, content, this.now());
    for (const listener of this.listeners) listener.placed(path);
  }

  delete(path: string): void {
    this.files.delete(path);
  }

  content(path: string): string | undefined {
    return this.files.get(path)?.content;
  }

  resolve(relativePath: string): string {
    if (relativePath.startsWith('/') || relativePath.split('/').includes('..')) {
      throw new Error(`outside the notes folder: ${relativePath}`);
    }
    return `${this.root}/${relativePath}`;
  }

  stat(relativePath: string): FileStat | null {
    const file = this.files.get(relativePath);
    return file ? { size: Buffer.byteLength(file.content), mtimeMs: file.mtimeMs } : null;
  }

  statListed(relativePath: string): FileStat | null {
    return this.stat(relativePath);
  }

  fingerprint(relativePath: string): string | null {
    const file = this.files.get(relativePath);
    return file ? fingerprintBytes(Buffer.from(file.content)) : null;
  }

  move(from: string, to: string): boolean {
    const file = this.files.get(from);
    if (!file || this.files.has(to)) return false;
    this.files.set(to, file);
    this.files.delete(from);
    return true;
  }

  readText(relativePath: string): string {
    const file = this.files.get(relativePath);
    if (!file) throw notFound(relativePath);
    return file.content;
  }

  writeSidecar(relativePath: string, text: string): SidecarWriteResult {
    const content = text.endsWith('\n') ? text : `${text}\n`;
    const existing = this.files.get(relativePath);
    if (existing) return existing.content === content ? 'written' : 'kept_existing';
    this.files.set(relativePath, { content, mtimeMs: this.now() });
    return 'written';
  }

  *walk(report: WalkReport, log?: Log): Generator<FolderListing> {
    const folders = new Map<string, Set<string>>([['', new Set()]]);
    for (const path of this.files.keys()) {
      // Every folder on the way exists, holding the next one.
      let child = path;
      for (let folder = folderOf(path); ; folder = folderOf(folder)) {
        const names = folders.get(folder) ?? new Set();
        folders.set(folder, names);
        names.add(child.slice(child.lastIndexOf('/') + 1));
        if (folder === '') break;
        child = folder;
      }
    }
    for (const [folder, names] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
      if (folder.split('/').some((part) => part !== '' && isHidden(part))) continue;
      const locked = [...this.unreadable].find((u) => folder === u || folder.startsWith(`${u}/`));
      if (locked !== undefined) {
        // Only the locked folder itself is reported: the walk never gets inside it.
        if (locked === folder) {
          report.unreadable.push(folder || '.');
          log?.warn(`skipped unreadable folder ${folder || '.'}: EACCES`);
        }
        continue;
      }
      report.directories++;
      const files = [...names].filter(
        (name) => !isHidden(name) && this.files.has(folder === '' ? name : `${folder}/${name}`),
      );
      yield { folder, files, names: () => names };
    }
  }

  onOwnFile(listener: OwnFileListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
