import type { PendingAudio } from '../../core/store.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/** Every pending task's audio: its length when known, its file, and where it carries on from. */
export function pendingAudio(db: Db): PendingAudio[] {
  return stmt<[], PendingAudio>(
    db,
    `SELECT t.id AS transcriptionId, t.audio_path AS audioPath, t.duration AS duration,
            bt.checkpoint_seconds AS checkpointSeconds
     FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id
     WHERE bt.status = 'pending'`,
  ).all();
}
