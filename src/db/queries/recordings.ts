import { NotFound } from '../../core/errors.js';
import type { Source, Transcript, Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';
import { getTranscription } from './transcriptions.js';

/**
 * A transcription about to be made in the foreground (a recording, or a file
 * given to `hark transcribe-now`): it enters the main list at once, before its
 * transcript exists. An existing row for the same audio is kept as it is.
 */
export function createTranscription(
  db: Db,
  input: {
    id: string;
    audioPath: string;
    source: Source;
    originalName?: string | null;
    recordedAt: number;
    now: number;
  },
): Transcription {
  stmt(
    db,
    `INSERT INTO transcriptions (id, audio_path, status, source, original_name, created_at, recorded_at, search_stale)
     VALUES (@id, @audioPath, 'pending', @source, @originalName, @now, @recordedAt, 1)
     ON CONFLICT (id) DO NOTHING`,
  ).run({ ...input, originalName: input.originalName ?? null });
  const row = getTranscription(db, input.id);
  if (!row) throw new NotFound(`Transcription ${input.id}`);
  return row;
}

/** The foreground transcription's result: no task involved. */
export function completeRecording(
  db: Db,
  input: {
    id: string;
    transcript: Transcript;
    outcome: 'complete' | 'no_speech';
    engine: string;
    sidecarPath: string | null;
    now: number;
  },
): Transcription {
  stmt(
    db,
    `UPDATE transcriptions
     SET status = @outcome, search_stale = 1, transcription_text = @text, segments = @segments, language = @language,
         duration = @duration, engine = @engine, transcribed_at = @now, error_kind = NULL, error_message = NULL,
         sidecar_path = @sidecarPath, sidecar_state = CASE WHEN @sidecarPath IS NULL THEN NULL ELSE 'pending' END
     WHERE id = @id`,
  ).run({
    id: input.id,
    outcome: input.outcome,
    text: input.transcript.text,
    segments: JSON.stringify(input.transcript.segments),
    language: input.transcript.language ?? null,
    duration: input.transcript.duration,
    engine: input.engine,
    sidecarPath: input.sidecarPath,
    now: input.now,
  });
  const row = getTranscription(db, input.id);
  if (!row) throw new NotFound(`Transcription ${input.id}`);
  return row;
}
