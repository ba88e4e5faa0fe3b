import { InvalidState, NotFound } from '../core/errors.js';
import { sidecarContent } from '../core/markdown.js';
import { checkNotePatch, folderOf, purgeCutoff } from '../core/notes.js';
import { type RevealRequest, revealDecision } from '../core/reveal.js';
import type { AlternativeChoice } from '../core/store.js';
import type { Transcription } from '../core/types.js';
import { findOpener, openFolder } from './folderOpener.js';
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
  await rewriteOwnedSidecar(services, before, after);
  return (await services.queue.getTranscription(id)) ?? after;
}

/**
 * The transcript kept beside an edit by a re-transcription: `use` puts it in place of the edit
 * (`POST /api/transcriptions/:id/alternative/use`), with Hark's sidecar rewritten to match;
 * `dismiss` lets it go (`…/alternative/dismiss`). 409 when the note has none.
 */
export async function resolveAlternative(
  services: NoteServices,
  id: string,
  choice: AlternativeChoice,
): Promise<Transcription> {
  const before = await find(services, id);
  const after = await services.queue.resolveAlternative(id, choice);
  if (choice === 'use') await rewriteOwnedSidecar(services, before, after);
  return (await services.queue.getTranscription(id)) ?? after;
}

/** A sidecar Hark wrote follows a note's new text, unless the user has changed that file since. */
async function rewriteOwnedSidecar(services: NoteServices, before: Transcription, after: Transcription) {
  const id = before.id;
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

export interface RevealResult {
  /** The folder was handed to the file manager on this machine. */
  opened: boolean;
  /** The note's folder, absolute, on the machine Hark runs on: for the page to show and copy. */
  folder: string;
  /** Why it was not opened; null when it was. */
  reason: string | null;
}

/**
 * "Show in folder" (`POST /api/transcriptions/:id/reveal`): opens the note's folder with xdg-open
 * when the request is from a person at this machine and it has one (core's revealDecision), and
 * always answers with the folder's path, so the page can offer it to copy instead.
 */
export async function revealNote(
  services: NoteServices,
  id: string,
  request: Omit<RevealRequest, 'hasOpener'>,
): Promise<RevealResult> {
  const note = await find(services, id);
  if (note.trashedAt !== null)
    throw new InvalidState(`Transcription ${id} is in the trash; restore it first`);
  const relative = folderOf(note.audioPath);
  const folder = relative === '' ? services.notes.root : services.notes.resolve(relative);
  const opener = findOpener();
  const decision = revealDecision({ ...request, hasOpener: opener !== null });
  if (!decision.open || opener === null) {
    return { opened: false, folder, reason: decision.open ? null : decision.reason };
  }
  if (await openFolder(opener, folder)) return { opened: true, folder, reason: null };
  services.log.warn(`could not run ${opener} for ${folder}`);
  return { opened: false, folder, reason: `${opener} could not be started.` };
}
