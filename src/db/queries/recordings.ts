import { NotFound } from '../../core/errors.js';
import { originOf, titleFor } from '../../core/notes.js';
import type { NewTranscription, TranscriptResult } from '../../core/store.js';
import type { Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';
import { getTranscription } from './transcriptions.js';
import { writeTranscript } from './writeTranscript.js';

/**
 * A transcription about to be made in the foreground (a recording, or a file
 * given to `hark transcribe-now`): it enters the main list at once, before its
 * transcript exists. An existing row for the same audio is kept as it is.
 */
export function createTranscription(db: Db, input: NewTranscription): Transcription {
  stmt(
    db,
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, created_at, recorded_at, search_stale,
                                 title, origin, fingerprint)
     VALUES (@id, @audioPath, 'pending', @source, @originalName, @now, @recordedAt, 1, @title, @origin, @fingerprint)
     ON CONFLICT (id) DO NOTHING`,
  ).run({
    id: input.id,
    audioPath: input.audioPath,
    source: input.source,
    originalName: input.originalName ?? null,
    now: input.now,
    recordedAt: input.recordedAt,
    title: input.title ?? titleFor(input.audioPath, input.originalName ?? null),
    origin: input.origin ?? originOf(input.source, input.audioPath),
    fingerprint: input.fingerprint ?? null,
  });
  const row = getTranscription(db, input.id);
  if (!row) throw new NotFound(`Transcription ${input.id}`);
  return row;
}

/** The foreground transcription's result: no task involved. */
export function completeRecording(db: Db, input: TranscriptResult & { id: string }): Transcription {
  writeTranscript(db, input.id, input);
  const row = getTranscription(db, input.id);
  if (!row) throw new NotFound(`Transcription ${input.id}`);
  return row;
}
