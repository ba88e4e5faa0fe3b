import type { Log } from '../core/log.js';
import type { FileStat, OwnFileListener, SidecarWriteResult } from './notesFolder.js';
import type { FolderListing, WalkReport } from './walk.js';

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
  writeSidecar(relativePath: string, text: string): SidecarWriteResult;
  /** Every folder, once (walk.ts). */
  walk(report: WalkReport, log?: Log): Iterable<FolderListing>;
  /** Told of the files Hark itself places and removes (OwnFileListener). */
  onOwnFile(listener: OwnFileListener): () => void;
}
