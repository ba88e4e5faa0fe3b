import { InvalidState, NotFound } from '../core/errors.js';
import { sidecarContent } from '../core/markdown.js';
import { checkNotePatch, purgeCutoff } from '../core/notes.js';
import type { Transcription } from '../core/types.js';
import type { HarkServices } from './services.js';

type NoteServices = Pick<HarkServices, 'queue' | 'notes' | 'trash' | 'clock' | 'log'>;

async function find(services: NoteServices, id: string): Promise<Transcription> {
  const note = await services.queue.getTranscription(id);
  if (!note) throw new NotFound(`Transcription ${id}`);
  return note;
}

/**
 * Renames a note or edits its transcript (`PATCH /api/transcriptions/:id`, `hark rename`,
 * `hark edit`): checked by core's rule, then stored; a sidecar Hark wrote is rewritten to
 * match, unless the user has changed that file since (then it is theirs, and kept).
 */
export async function editNote(services: NoteServices, id: string, body: unknown): Promise<Transcription> {
  const patch = checkNotePatch(body);
  const before = await find(services, id);
  const after = await services.queue.updateNote(id, patch);
  const owned = before.sidecarState === 'written' || before.sidecarState === 'pending';
  if (owned && before.sidecarPath && after.trashedAt === null) {
    const previous = sidecarContent(before, before.sidecarPath);
    const next = sidecarContent(after, before.sidecarPath);
    if (previous !== next) {
      try {
        const state = services.notes.rewriteSidecar(before.sidecarPath, previous, next);
        await services.queue.markSidecar(id, state);
      } catch (error) {
        // The edit is stored; the file beside the audio follows at the next start (pending).
        services.log.warn(`could not rewrite ${before.sidecarPath}: ${(error as Error).message}`);
      }
    }
  }
  return (await services.queue.getTranscription(id)) ?? after;
}

/**
 * Moves a note to the trash (`DELETE /api/transcriptions/:id`, `hark rm`): its audio and a
 * sidecar Hark wrote go to the trash folder, and the note leaves the list. Nothing is deleted:
 * restoreNote brings both back, for 30 days.
 */
export async function trashNote(services: NoteServices, id: string): Promise<Transcription> {
  const note = await find(services, id);
  if (note.trashedAt !== null) throw new InvalidState(`Transcription ${id} is already in the trash`);
  const ownSidecar = note.sidecarState === 'written' ? note.sidecarPath : null;
  const files = services.trash.put(id, note.audioPath, ownSidecar);
  try {
    return await services.queue.trashNote(id, files);
  } catch (error) {
    services.trash.restore(files, note.audioPath, ownSidecar); // refused (being transcribed): put back
    services.trash.purge(id);
    throw error;
  }
}

/** Brings a note back from the trash, refused (409) when another file has taken its place. */
export async function restoreNote(services: NoteServices, id: string): Promise<Transcription> {
  const note = await find(services, id);
  if (note.trashedAt === null) throw new InvalidState(`Transcription ${id} is not in the trash`);
  services.trash.restore(
    { audioPath: note.trashAudioPath, sidecarPath: note.trashSidecarPath },
    note.audioPath,
    note.sidecarPath,
  );
  const restored = await services.queue.restoreNote(id);
  services.trash.purge(id);
  return restored;
}

/** Removes for good the notes trashed 30 days ago or more (at start and daily); returns how many. */
export async function purgeTrash(services: NoteServices): Promise<number> {
  const due = await services.queue.trashedBefore(purgeCutoff(services.clock.now()));
  for (const note of due) {
    services.trash.purge(note.id);
    await services.queue.deleteNote(note.id);
  }
  if (due.length > 0) services.log.info(`removed ${due.length} note(s) from the trash for good (30 days)`);
  return due.length;
}
