import type { SidecarJob } from '../../core/store.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Transcripts committed to the database whose file beside the audio is not written yet. */
export function pendingSidecars(db: Db): SidecarJob[] {
  return stmt<
    [],
    { id: string; audio_path: string; sidecar_path: string; transcription_text: string | null }
  >(
    db,
    `SELECT id, audio_path, sidecar_path, transcription_text FROM transcriptions WHERE sidecar_state = 'pending'`,
  )
    .all()
    .map((row) => ({
      transcriptionId: row.id,
      audioPath: row.audio_path,
      sidecarPath: row.sidecar_path,
      text: row.transcription_text ?? '',
    }));
}

export function markSidecar(db: Db, transcriptionId: string, state: 'written' | 'kept_existing'): void {
  stmt(db, 'UPDATE transcriptions SET sidecar_state = ? WHERE id = ?').run(state, transcriptionId);
}
