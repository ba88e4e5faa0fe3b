import type { TranscriptResult } from '../../core/store.js';
import type { Db } from '../open.js';
import { stmt } from '../statements.js';

/**
 * Gives a transcription its transcript: the one write a finished background
 * task and a finished foreground transcription share. The full-text index is
 * brought up to date later, in a batch (search_stale; see searchIndex.ts).
 * A note edited by hand keeps its edit: the new transcript is kept beside it as the alternative.
 */
export function writeTranscript(db: Db, id: string, result: TranscriptResult): void {
  stmt(
    db,
    `UPDATE transcriptions
     SET status = @outcome, search_stale = 1,
         transcription_text = CASE WHEN edited = 1 THEN transcription_text ELSE @text END,
         segments = CASE WHEN edited = 1 THEN segments ELSE @segments END,
         alternative_text = CASE WHEN edited = 1 THEN @text ELSE NULL END,
         alternative_segments = CASE WHEN edited = 1 THEN @segments ELSE NULL END, language = @language,
         duration = @duration, engine = @engine, transcribed_at = @now, error_kind = NULL, error_message = NULL,
         sidecar_path = @sidecarPath, sidecar_state = CASE WHEN @sidecarPath IS NULL THEN NULL ELSE 'pending' END
     WHERE id = @id`,
  ).run({
    id,
    outcome: result.outcome,
    text: result.transcript.text,
    segments: JSON.stringify(result.transcript.segments),
    language: result.transcript.language ?? null,
    duration: result.transcript.duration,
    engine: result.engine,
    sidecarPath: result.sidecarPath,
    now: result.now,
  });
}
