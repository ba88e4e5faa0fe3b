import { noteIdentity } from '../../../core/notes.js';
import { taskPayload } from '../../../core/taskOptions.js';
import type { NewAudio } from '../../../core/types.js';
import type { Queryable } from '../pool.js';
import { documentWords } from '../searchWords.js';

/**
 * addTask for a whole batch (the scanner's), in two statements whatever its size, since on a
 * server every statement is a network round trip: the transcription rows first, then a task for
 * each audio still pending without a live one. The same audio twice in a batch counts once;
 * tasks are created in the batch's order. Run inside a transaction. Returns how many were created.
 */
export async function addTasks(
  q: Queryable,
  batch: readonly NewAudio[],
  now: number,
  maxRetries: number,
): Promise<number> {
  if (batch.length === 0) return 0;
  const column = <T>(pick: (audio: NewAudio) => T) => batch.map(pick);
  const identities = batch.map((a) => noteIdentity(a, a.fileMtimeMs ?? now));
  // Any conflict is a no-op: the same id, or a note that has moved to this path.
  await q.query(
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, file_size, file_mtime_ms,
                                 created_at, recorded_at, name_words, title, origin, fingerprint)
     SELECT b.id, b.audio_path, 'pending', b.source, b.original_name, b.file_size, b.file_mtime_ms,
            $8, b.recorded_at, b.name_words, b.title, b.origin, b.fingerprint
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[],
                 $9::bigint[], $10::text[], $11::text[], $12::text[])
          WITH ORDINALITY AS b (id, audio_path, source, original_name, file_size, file_mtime_ms, name_words,
                                recorded_at, title, origin, fingerprint, n)
     ORDER BY b.n
     ON CONFLICT DO NOTHING`,
    [
      column((a) => a.transcriptionId),
      column((a) => a.audioPath),
      column((a) => a.source),
      column((a) => a.originalName),
      column((a) => a.fileSize),
      column((a) => a.fileMtimeMs),
      batch.map((a, i) => documentWords(identities[i]?.title, a.originalName, a.audioPath)),
      now,
      identities.map((identity) => identity.recordedAt),
      identities.map((identity) => identity.title),
      identities.map((identity) => identity.origin),
      column((a) => a.fingerprint ?? null),
    ],
  );
  const created = await q.query(
    `INSERT INTO background_tasks (transcription_id, task_type, priority, status, payload, max_retries,
                                   order_key, created_at, available_at)
     SELECT first.id, first.task_type, first.priority, 'pending', first.payload, $5, $6, $6, $6
     FROM (
       SELECT DISTINCT ON (b.id) b.id, b.task_type, b.priority, b.payload, b.n
       FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[]) WITH ORDINALITY AS b (id, task_type, priority, payload, n)
       ORDER BY b.id, b.n
     ) first
     JOIN transcriptions t ON t.id = first.id AND t.status = 'pending'
     ORDER BY first.n
     ON CONFLICT (transcription_id) WHERE status IN ('pending', 'processing') DO NOTHING`,
    [
      column((a) => a.transcriptionId),
      column((a) => a.taskType),
      column((a) => a.priority),
      column((a) => taskPayload(a.audioPath, a.language)),
      maxRetries,
      now,
    ],
  );
  return created.rowCount ?? 0;
}
