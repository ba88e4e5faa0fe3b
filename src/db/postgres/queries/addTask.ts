import { noteIdentity } from '../../../core/notes.js';
import type { EnqueueResult } from '../../../core/store.js';
import { taskPayload } from '../../../core/taskOptions.js';
import type { NewAudio } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { documentWords } from '../searchWords.js';
import { getTask } from './getTask.js';

/**
 * Makes sure `audio` has a transcription row and, while it still needs a transcript, exactly
 * one live task (SQLite's addTask). The partial unique index on live tasks makes a second
 * insert a no-op, also when two nodes add the same file at once. Run inside a transaction.
 */
export async function addTask(
  q: Queryable,
  audio: NewAudio,
  now: number,
  maxRetries: number,
): Promise<EnqueueResult> {
  const identity = noteIdentity(audio, audio.fileMtimeMs ?? now);
  // Any conflict is a no-op: the same id, or a note that has moved to this path.
  await q.query(
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, file_size, file_mtime_ms,
                                 created_at, recorded_at, name_words, title, origin, fingerprint)
     VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT DO NOTHING`,
    [
      audio.transcriptionId,
      audio.audioPath,
      audio.source,
      audio.originalName,
      audio.fileSize,
      audio.fileMtimeMs,
      now,
      identity.recordedAt,
      documentWords(identity.title, audio.originalName, audio.audioPath),
      identity.title,
      identity.origin,
      audio.fingerprint ?? null,
    ],
  );
  const inserted = await q.query<{ id: number }>(
    `INSERT INTO background_tasks (transcription_id, task_type, priority, status, payload, max_retries,
                                   order_key, created_at, available_at)
     SELECT t.id, $2, $3, 'pending', $4, $5, $6, $6, $6
     FROM transcriptions t WHERE t.id = $1 AND t.status = 'pending'
     ON CONFLICT (transcription_id) WHERE status IN ('pending', 'processing') DO NOTHING
     RETURNING id`,
    [
      audio.transcriptionId,
      audio.taskType,
      audio.priority,
      taskPayload(audio.audioPath, audio.language),
      maxRetries,
      now,
    ],
  );
  const created = inserted.rows[0];
  if (created) return { task: await getTask(q, created.id), created: true };
  const live = await q.query<{ id: number }>(
    `SELECT id FROM background_tasks WHERE transcription_id = $1 AND status IN ('pending', 'processing')`,
    [audio.transcriptionId],
  );
  const id = live.rows[0]?.id;
  return { task: id === undefined ? null : await getTask(q, id), created: false };
}
