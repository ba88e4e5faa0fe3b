import type { TranscriptResult } from '../../../core/store.js';
import type { Queryable } from '../pool.js';
import { documentWords } from '../searchWords.js';

/**
 * Gives a transcription its transcript: the one write a finished background task and a
 * finished foreground transcription share. The search vector follows in the same row write.
 * A note edited by hand keeps its edit: the new transcript is kept beside it as the alternative.
 */
export async function writeTranscript(q: Queryable, id: string, result: TranscriptResult): Promise<void> {
  await q.query(
    `UPDATE transcriptions
     SET status = $2,
         transcription_text = CASE WHEN edited = 1 THEN transcription_text ELSE $3 END,
         text_words = CASE WHEN edited = 1 THEN text_words ELSE $4 END,
         segments = CASE WHEN edited = 1 THEN segments ELSE $5 END,
         alternative_text = CASE WHEN edited = 1 THEN $3 ELSE NULL END,
         alternative_segments = CASE WHEN edited = 1 THEN $5 ELSE NULL END, language = $6, duration = $7,
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
