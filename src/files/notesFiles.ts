import type { Log } from '../core/log.js';
import type { FolderListing, WalkReport } from './walk.js';

export interface FileStat {
  size: number;
  mtimeMs: number;
}

export type SidecarWriteResult = 'written' | 'kept_existing';

/**
 * Told of every audio file Hark itself puts into the folder (an import, a
 * recording, a copy for transcribe-now) and of every such file it takes out
 * again, as it happens: the scanner must never take Hark's own files for
 * orphans, even when their task was cancelled a moment later.
 */
export interface OwnFileListener {
  placed(relativePath: string): void;
  removed(relativePath: string): void;
}

/**
 * What the queue's parts (the scanner, the worker) need of the notes folder.
 * NotesFolder is the one on disk; tests use an in-memory one
 * (tests/helpers/memoryNotes.ts). Paths are relative and '/'-separated.
 */
export interface NotesFiles {
  /** The absolute path of a relative one, for an engine to read; throws for one that leaves the folder. */
  resolve(relativePath: string): string;
  /** Size and mtime of a file, or null when there is none. */
  stat(relativePath: string): FileStat | null;
  /**
   * stat() for a file a walk has just listed, by name and without confining
   * it again (the walk enters only the folder's own folders). Null when it is
   * gone; throws for any other failure (it cannot be looked at).
   */
  statListed(relativePath: string): FileStat | null;
  readText(relativePath: string): string;
  /** The content fingerprint of a file (fingerprint.ts), or null when there is none. */
  fingerprint(relativePath: string): string | null;
  /** Moves a file inside the folder, never over another; false when `to` is taken or `from` is gone. */
  move(from: string, to: string): boolean;
  writeSidecar(relativePath: string, text: string): SidecarWriteResult;
  /** Every folder, once (walk.ts). */
  walk(report: WalkReport, log?: Log): Iterable<FolderListing>;
  /** Told of the files Hark itself places and removes (OwnFileListener). */
  onOwnFile(listener: OwnFileListener): () => void;
}
