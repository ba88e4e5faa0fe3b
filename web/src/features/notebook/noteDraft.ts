/**
 * Edit mode's draft of a note, and the PATCH it makes: only what changed.
 * Structural types, no imports: the node tests load this file.
 */

export interface DraftSegment {
  start: number;
  end: number;
  text: string;
  words?: { start: number; end: number; text: string }[] | undefined;
}

export interface DraftSource {
  transcription_text: string | null;
  segments: DraftSegment[];
}

export interface NoteDraft {
  title: string;
  /** One text per segment (with its start, shown beside it), where the note has segments; else null. */
  segments: { start: number; text: string }[] | null;
  text: string;
}

export interface DraftPatch {
  title?: string;
  text?: string;
  segments?: DraftSegment[];
}

export function draftOf(note: DraftSource, title: string): NoteDraft {
  return {
    title,
    segments:
      note.segments.length > 0
        ? note.segments.map((segment) => ({ start: segment.start, text: segment.text.trim() }))
        : null,
    text: note.transcription_text ?? '',
  };
}

/**
 * What to send for `draft`, or null when nothing changed. Edited segments
 * keep their times; their word times no longer fit the words and are dropped.
 * The text is the segments' texts joined, so search and exports agree with them.
 */
export function patchOf(note: DraftSource, title: string, draft: NoteDraft): DraftPatch | null {
  const patch: DraftPatch = {};
  const newTitle = draft.title.trim();
  if (newTitle && newTitle !== title) patch.title = newTitle;
  if (draft.segments) {
    const edited = (i: number) => (draft.segments?.[i]?.text ?? '').trim();
    const changed = note.segments.some((segment, i) => edited(i) !== segment.text.trim());
    if (changed) {
      const segments = note.segments.map(
        (segment, i): DraftSegment =>
          edited(i) === segment.text.trim()
            ? segment
            : { start: segment.start, end: segment.end, text: edited(i) },
      );
      patch.segments = segments;
      patch.text = segments
        .map((segment) => segment.text.trim())
        .filter(Boolean)
        .join(' ');
    }
  } else if (draft.text.trim() !== (note.transcription_text ?? '').trim()) {
    patch.text = draft.text.trim();
  }
  return Object.keys(patch).length > 0 ? patch : null;
}
