import type { PendingAudio } from '../../../core/store.js';
import type { Queryable } from '../pool.js';

/** Every pending task's audio: its length when known, its file, and where it carries on from. */
export async function pendingAudio(q: Queryable): Promise<PendingAudio[]> {
  const { rows } = await q.query<PendingAudio>(
    `SELECT t.id AS "transcriptionId", t.audio_path AS "audioPath", t.duration AS duration,
            bt.checkpoint_seconds AS "checkpointSeconds"
     FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id
     WHERE bt.status = 'pending'`,
  );
  return rows;
}
