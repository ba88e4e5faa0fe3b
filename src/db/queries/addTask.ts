import { noteIdentity } from '../../core/notes.js';
import { taskPayload } from '../../core/taskOptions.js';
import type { NewAudio, Task } from '../../core/types.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';
import { getTask } from './getTask.js';

export interface AddTaskResult {
  task: Task | null;
  created: boolean;
}

/**
 * Makes sure `audio` has a transcription row and, while it still needs a
 * transcript, exactly one live task. Safe to call any number of times: the
 * unique index on live tasks makes a second insert a no-op. Call inside a
 * transaction when batching.
 */
export function addTask(db: Db, audio: NewAudio, now: number, maxRetries: number): AddTaskResult {
  // Any conflict is a no-op: the same id, or a note that has moved to this path (its id is its old path's).
  stmt(
    db,
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, file_size, file_mtime_ms,
                                 created_at, recorded_at, title, origin, fingerprint)
     VALUES (@id, @audioPath, 'pending', @source, @originalName, @fileSize, @fileMtimeMs, @now, @recordedAt,
             @title, @origin, @fingerprint)
     ON CONFLICT DO NOTHING`,
  ).run({
    ...noteIdentity(audio, audio.fileMtimeMs ?? now),
    fingerprint: audio.fingerprint ?? null,
    id: audio.transcriptionId,
    audioPath: audio.audioPath,
    source: audio.source,
    originalName: audio.originalName,
    fileSize: audio.fileSize,
    fileMtimeMs: audio.fileMtimeMs,
    now,
  });
  const inserted = stmt<[unknown], { id: number }>(
    db,
    `INSERT INTO background_tasks (transcription_id, task_type, priority, status, payload, max_retries,
                                   order_key, created_at, available_at)
     SELECT t.id, @taskType, @priority, 'pending', @payload, @maxRetries, @now, @now, @now
     FROM transcriptions t WHERE t.id = @id AND t.status = 'pending'
     ON CONFLICT (transcription_id) WHERE status IN ('pending', 'processing') DO NOTHING
     RETURNING id`,
  ).get({
    id: audio.transcriptionId,
    taskType: audio.taskType,
    priority: audio.priority,
    payload: taskPayload(audio.audioPath, audio.language),
    maxRetries,
    now,
  });
  if (inserted) return { task: getTask(db, inserted.id), created: true };
  const live = stmt<[string], { id: number }>(
    db,
    `SELECT id FROM background_tasks WHERE transcription_id = ? AND status IN ('pending', 'processing')`,
  ).get(audio.transcriptionId);
  return { task: live ? getTask(db, live.id) : null, created: false };
}
