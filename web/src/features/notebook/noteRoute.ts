/**
 * What the Transcriptions tab shows, kept in the address so a reload or the
 * Back button keeps it: `#note/<id>` (a note open), `#trash`, or the list.
 * The tabs read the same hash and fall back to Transcriptions for these.
 * No imports: the node tests load this file.
 */
export type NoteRoute = { view: 'list' } | { view: 'note'; id: string } | { view: 'trash' };

export function parseNoteRoute(hash: string): NoteRoute {
  const path = hash.replace(/^#\/?/, '');
  if (path === 'trash') return { view: 'trash' };
  const note = /^note\/(.+)$/.exec(path);
  if (note?.[1]) return { view: 'note', id: decodeURIComponent(note[1]) };
  return { view: 'list' };
}

export function noteHref(id: string): string {
  return `#note/${encodeURIComponent(id)}`;
}
