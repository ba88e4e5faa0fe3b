import { toHarkError } from '../core/errors.js';
import { sidecarContent } from '../core/markdown.js';
import type { NotesFolder } from '../files/notesFolder.js';
import type { QueueManager } from '../queue/queueManager.js';
import type { Log } from './log.js';

/**
 * Writes the transcripts the database has but the notes folder lacks: those
 * whose process died between the commit and the file write. The database is
 * the source of truth; the files beside the audio follow it.
 */
export async function writePendingSidecars(
  queue: QueueManager,
  notes: NotesFolder,
  log: Log,
): Promise<number> {
  let written = 0;
  for (const job of await queue.pendingSidecars()) {
    try {
      // A `.md` is the Markdown export, made from the whole row; a `.txt` is the text the job carries.
      const row = job.sidecarPath.endsWith('.md') ? await queue.getTranscription(job.transcriptionId) : null;
      const state = notes.writeSidecar(
        job.sidecarPath,
        row ? sidecarContent(row, job.sidecarPath) : job.text,
      );
      await queue.markSidecar(job.transcriptionId, state);
      if (state === 'written') written++;
    } catch (error) {
      log.warn(`could not write ${job.sidecarPath}: ${toHarkError(error).message}`);
    }
  }
  return written;
}
