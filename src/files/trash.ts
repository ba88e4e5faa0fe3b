import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidState } from '../core/errors.js';
import type { TrashedFiles } from '../core/store.js';
import type { NotesFolder } from './notesFolder.js';

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * The trash: a folder in the data folder (never scanned) where a deleted note's audio and
 * Hark's sidecar wait, one folder per note, until restored or purged. Files go in and out
 * through the notes folder, its one owner; paths here are relative to the trash folder.
 */
export class NoteTrash {
  constructor(
    private readonly notes: NotesFolder,
    readonly dir: string,
  ) {}

  /** Moves a note's audio (and a sidecar Hark wrote) into the trash; null for a file that was not there. */
  put(id: string, audioPath: string, sidecarPath: string | null): TrashedFiles {
    const into = (path: string) => {
      const inTrash = `${id}/${fileName(path)}`;
      return this.notes.moveOut(path, join(this.dir, inTrash)) ? inTrash : null;
    };
    // A sidecar with the audio's own name (a.wav, a.txt) never clashes with it in the note's folder.
    return { audioPath: into(audioPath), sidecarPath: sidecarPath === null ? null : into(sidecarPath) };
  }

  /**
   * Puts a trashed note's files back where they were. Refused (InvalidState, nothing moved)
   * when another file has taken either place since.
   */
  restore(files: TrashedFiles, audioPath: string, sidecarPath: string | null): void {
    const moves: [string, string][] = [];
    if (files.audioPath) moves.push([files.audioPath, audioPath]);
    if (files.sidecarPath && sidecarPath) moves.push([files.sidecarPath, sidecarPath]);
    for (const [, to] of moves) {
      if (this.notes.exists(to))
        throw new InvalidState(
          `Cannot restore: ${to} is taken by another file in the notes folder; move or rename it first`,
        );
    }
    for (const [from, to] of moves) {
      if (!this.notes.moveIn(join(this.dir, from), to))
        throw new InvalidState(`Cannot restore: ${to} was taken a moment ago; move or rename it first`);
    }
  }

  /** Removes a note's files from the trash for good. */
  purge(id: string): void {
    if (!/^[0-9a-zA-Z_-]+$/.test(id)) return; // only ever a folder of the trash
    rmSync(join(this.dir, id), { recursive: true, force: true });
  }
}
