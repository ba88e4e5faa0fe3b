/**
 * A note's identity and management, as rules: its title, where it came from in plain
 * words, what an edit may contain, and when the trash lets it go. Pure.
 */
import { BadRequest } from './errors.js';
import { originOf } from './origins.js';
import { stemOf } from './orphans.js';
import { recordedAtFor } from './recordedTime.js';
import type { Origin, Segment, Source } from './types.js';

export { IMPORTS_FOLDER, ORIGIN_LABELS, originOf } from './origins.js';
export { ORIGINS, type Origin } from './types.js';

/** A trashed note stays restorable this long, then is removed for good. */
export const TRASH_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
export const TITLE_MAX = 200;
export const TEXT_MAX = 1_000_000;
export const SEGMENTS_MAX = 20_000;

const fileName = (audioPath: string) => audioPath.slice(audioPath.lastIndexOf('/') + 1);

/** The title a new note gets: its original name for an import, else the file's stem (extension off). */
export function titleFor(audioPath: string, originalName: string | null): string {
  const name = originalName ?? fileName(audioPath);
  return stemOf(name).trim() || name;
}

/** The folder a note's audio is in, relative to the notes folder ('' for the folder itself). */
export function folderOf(audioPath: string): string {
  const slash = audioPath.lastIndexOf('/');
  return slash < 0 ? '' : audioPath.slice(0, slash);
}

/**
 * A new note's title, recorded time and origin: those given, else the defaults. `fallbackMs`
 * is the best other guess at the recording time (an import's lastModified, the file's mtime).
 */
export function noteIdentity(
  audio: {
    audioPath: string;
    source: Source;
    originalName: string | null;
    title?: string | undefined;
    recordedAt?: number | undefined;
    origin?: Origin | undefined;
  },
  fallbackMs: number,
): { title: string; recordedAt: number; origin: Origin } {
  return {
    title: audio.title ?? titleFor(audio.audioPath, audio.originalName),
    recordedAt: audio.recordedAt ?? recordedAtFor(audio.audioPath, fallbackMs),
    origin: audio.origin ?? originOf(audio.source, audio.audioPath),
  };
}

/** Whether a trashed note is due to be removed for good. */
export function isPurgeDue(trashedAt: number, now: number, retentionMs = TRASH_RETENTION_MS): boolean {
  return now - trashedAt >= retentionMs;
}

/** The trashed-before time: notes trashed before it are due. */
export function purgeCutoff(now: number, retentionMs = TRASH_RETENTION_MS): number {
  return now - retentionMs;
}

/** What an edit may change, checked: `PATCH /api/transcriptions/:id`, `hark rename`, `hark edit`. */
export interface NotePatch {
  title?: string | undefined;
  text?: string | undefined;
  segments?: Segment[] | undefined;
}

function checkSegment(value: unknown, index: number): Segment {
  const s = value as Partial<Segment> | null;
  const at = `segments[${index}]`;
  if (typeof s !== 'object' || s === null) throw new BadRequest(`${at} must be an object`);
  if (typeof s.start !== 'number' || !Number.isFinite(s.start) || s.start < 0)
    throw new BadRequest(`${at}.start must be a number of seconds, 0 or more`);
  if (typeof s.end !== 'number' || !Number.isFinite(s.end) || s.end < s.start)
    throw new BadRequest(`${at}.end must be a number of seconds, not before its start`);
  if (typeof s.text !== 'string') throw new BadRequest(`${at}.text must be a string`);
  const segment: Segment = { start: s.start, end: s.end, text: s.text };
  if (Array.isArray(s.words)) segment.words = s.words;
  return segment;
}

/**
 * Checks an edit and puts it in its stored form: a title trimmed and not empty; segments in
 * order; text given with segments or made from them. Throws BadRequest saying what is wrong.
 */
export function checkNotePatch(body: unknown): NotePatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest('Send a JSON object with title, text or segments');
  const input = body as Record<string, unknown>;
  const unknownKeys = Object.keys(input).filter((key) => !['title', 'text', 'segments'].includes(key));
  if (unknownKeys.length > 0) throw new BadRequest(`Unknown field(s): ${unknownKeys.join(', ')}`);
  const patch: NotePatch = {};
  if (input.title !== undefined) {
    if (typeof input.title !== 'string') throw new BadRequest('title must be a string');
    const title = input.title.replace(/\s+/g, ' ').trim();
    if (title.length === 0) throw new BadRequest('title must not be empty');
    if (title.length > TITLE_MAX) throw new BadRequest(`title must be at most ${TITLE_MAX} characters`);
    patch.title = title;
  }
  if (input.segments !== undefined) {
    if (!Array.isArray(input.segments)) throw new BadRequest('segments must be an array');
    if (input.segments.length > SEGMENTS_MAX)
      throw new BadRequest(`segments must have at most ${SEGMENTS_MAX} entries`);
    const segments = input.segments.map(checkSegment);
    segments.forEach((segment, i) => {
      const before = segments[i - 1];
      if (before && segment.start < before.start)
        throw new BadRequest(`segments[${i}] starts before segments[${i - 1}]: keep them in order`);
    });
    patch.segments = segments;
  }
  if (input.text !== undefined) {
    if (typeof input.text !== 'string') throw new BadRequest('text must be a string');
    patch.text = input.text;
  } else if (patch.segments) {
    patch.text = patch.segments
      .map((s) => s.text.trim())
      .filter(Boolean)
      .join(' ');
  }
  if (patch.text !== undefined && patch.text.length > TEXT_MAX)
    throw new BadRequest(`text must be at most ${TEXT_MAX} characters`);
  if (Object.keys(patch).length === 0)
    throw new BadRequest('Nothing to change: send title, text or segments');
  return patch;
}
