/**
 * What a card and the transcript view say about a note, from the fields the
 * Notes contract adds to the transcription JSON (title, recorded_at in ms,
 * duration_seconds, folder, origin, audio_missing, edited, trashed_at), with
 * the older fields as a fallback so a server without them still reads well.
 * Spelled out structurally: this file imports nothing, so the node tests load it.
 */

export type Origin = 'recorded' | 'found' | 'imported';

/** A moment as the API may send it: epoch milliseconds (the contract) or an ISO string (before it). */
export type Moment = number | string;

export interface NoteLike {
  id: string;
  audio_path: string;
  display_name: string;
  source: 'recording' | 'orphan' | 'imported';
  duration: number | null;
  recorded_at: Moment;
  title?: string | null | undefined;
  duration_seconds?: number | null | undefined;
  folder?: string | null | undefined;
  origin?: Origin | null | undefined;
  audio_missing?: boolean | null | undefined;
  edited?: boolean | null | undefined;
  edited_at?: Moment | null | undefined;
  trashed_at?: Moment | null | undefined;
}

/** Plain words for where a note came from. */
export const ORIGIN_LABELS: Record<Origin, string> = {
  recorded: 'Recorded in Hark',
  found: 'Found in your notes folder',
  imported: 'Imported',
};

const ORIGIN_OF_SOURCE: Record<NoteLike['source'], Origin> = {
  recording: 'recorded',
  orphan: 'found',
  imported: 'imported',
};

export function originOf(note: NoteLike): Origin {
  return note.origin ?? ORIGIN_OF_SOURCE[note.source];
}

/** The note's name: its title, else the original name of an import, else the file name. */
export function titleOf(note: NoteLike): string {
  const title = note.title?.trim();
  return title ? title : note.display_name;
}

export function toDate(moment: Moment | null | undefined): Date | null {
  if (moment === null || moment === undefined) return null;
  const date = new Date(moment);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function recordedAt(note: NoteLike): Date | null {
  return toDate(note.recorded_at);
}

/** Seconds of audio, or null while unknown. */
export function durationOf(note: NoteLike): number | null {
  return note.duration_seconds ?? note.duration;
}

/** The folder inside the notes folder, '' for its root. */
export function folderOf(note: NoteLike): string {
  if (typeof note.folder === 'string') return note.folder;
  const slash = note.audio_path.lastIndexOf('/');
  return slash < 0 ? '' : note.audio_path.slice(0, slash);
}

export function audioMissing(note: NoteLike): boolean {
  return note.audio_missing === true;
}

export function isEdited(note: NoteLike): boolean {
  return note.edited === true;
}

/** Days a trashed note is kept before it is removed for good (issue 11). */
export const TRASH_DAYS = 30;

/** When a trashed note goes for good, or null when it is not in the trash. */
export function purgeDate(note: NoteLike): Date | null {
  const trashed = toDate(note.trashed_at);
  return trashed ? new Date(trashed.getTime() + TRASH_DAYS * 86_400_000) : null;
}
