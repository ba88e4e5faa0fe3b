import type { TranscriptResult } from '../../../core/store.js';
import type { Queryable } from '../pool.js';
import { documentWords } from '../searchWords.js';

/**
 * Gives a transcription its transcript: the one write a finished background task and a
 * finished foreground transcription share. The search vector follows in the same row write.
 */
export async function writeTranscript(q: Queryable, id: string, result: TranscriptResult): Promise<void> {
  await q.query(
    `UPDATE transcriptions
     SET status = $2, transcription_text = $3, text_words = $4, segments = $5, language = $6, duration = $7,
         engine = $8, transcribed_at = $9, error_kind = NULL, error_message = NULL,
         sidecar_path = $10::text, sidecar_state = CASE WHEN $10::text IS NULL THEN NULL ELSE 'pending' END
     WHERE id = $1`,
    [
      id,
      result.outcome,
      result.transcript.text,
      documentWords(result.transcript.text),
      JSON.stringify(result.transcript.segments),
      result.transcript.language ?? null,
      result.transcript.duration,
      result.engine,
      result.now,
      result.sidecarPath,
    ],
  );
}
