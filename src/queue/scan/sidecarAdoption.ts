import { transcriptOfMarkdown } from '../../core/markdown.js';
import { sidecarCandidates } from '../../core/orphans.js';
import type { NotesFiles } from '../../files/notesFiles.js';

/**
 * A transcript already beside new audio (typed up by hand, or written by
 * another tool): the audio is adopted with it instead of being queued.
 * Null when there is none, or none that can be read.
 */
export function findSidecar(
  notes: NotesFiles,
  folder: string,
  audioName: string,
  names: ReadonlySet<string>,
): { path: string; text: string } | null {
  for (const candidate of sidecarCandidates(audioName)) {
    if (!names.has(candidate)) continue;
    const path = folder === '' ? candidate : `${folder}/${candidate}`;
    try {
      const content = notes.readText(path);
      // A `.md` (Hark's own Markdown export, or a note app's) is adopted without its front matter.
      return { path, text: candidate.endsWith('.md') ? transcriptOfMarkdown(content) : content.trim() };
    } catch {
      // an unreadable transcript: treat the audio as an orphan instead
    }
  }
  return null;
}
