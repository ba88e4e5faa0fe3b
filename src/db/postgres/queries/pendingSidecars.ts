import type { SidecarJob } from '../../../core/store.js';
import type { Queryable } from '../pool.js';

/** Transcripts committed to the database whose file beside the audio is not written yet. */
export async function pendingSidecars(q: Queryable): Promise<SidecarJob[]> {
  const { rows } = await q.query<{
    id: string;
    audio_path: string;
    sidecar_path: string;
    transcription_text: string | null;
  }>(
    `SELECT id, audio_path, sidecar_path, transcription_text FROM transcriptions WHERE sidecar_state = 'pending'`,
  );
  return rows.map((row) => ({
    transcriptionId: row.id,
    audioPath: row.audio_path,
    sidecarPath: row.sidecar_path,
    text: row.transcription_text ?? '',
  }));
}
