/**
 * Messages between WhisperRecognizer and its host process (host.ts), sent
 * over Node's IPC channel with `serialization: 'advanced'`, so the samples
 * travel as a Float32Array rather than as JSON numbers.
 */

export interface RecognizeRequest {
  type: 'recognize';
  id: number;
  samples: Float32Array;
  /** A whisper language code, or 'auto' to detect it (multilingual models only). */
  language: string;
  /** whisper's translate task: the text comes out in English, whatever was spoken. */
  translate: boolean;
  threads: number;
  /** whisper.cpp's audio_ctx: encoder positions of 20 ms to encode (0: the model's full 30-second window). */
  audioCtx: number;
  /**
   * whisper's initial prompt: the previous window's text, when core/windowPrompt.ts trusts it
   * (absent: none). whisper.cpp's own carry-over (no_context) stays off: Hark decides the prompt.
   */
  prompt?: string;
  /** The language the prompt was heard in: with `auto`, a window detected in another language is decoded again without it. */
  promptLanguage?: string | null;
}

/** A segment as the binding reports it: times in centiseconds from the start of the window. */
export interface RawSegment {
  text: string;
  start: number;
  end: number;
}

export type HostMessage =
  /** `audioCtx`: the model's own encoder context (1,500 positions, 30 s, for every released model). */
  | { type: 'ready'; loadMs: number; multilingual: boolean; audioCtx: number }
  | { type: 'loadFailed'; message: string }
  /** Sent just before full() blocks the host, so the parent knows inference has begun. */
  | { type: 'started'; id: number }
  /** whisper's own progress callback, in percent (it can exceed 100 for short windows). */
  | { type: 'progress'; id: number; percent: number }
  | {
      type: 'result';
      id: number;
      text: string;
      segments: RawSegment[];
      /** The language whisper heard (detected, or the one it was told), as a code; null if it cannot say. */
      language: string | null;
      inferenceMs: number;
      /** The audio_ctx the binding held when full() ran (0: the full window), read back from its params. */
      audioCtx: number;
      /** The initial prompt the binding held when the kept decode ran ('' for none), read back from its params. */
      prompt: string;
      /** The host's resident set size after the window, for memory checks. */
      rssBytes: number;
    }
  | { type: 'failed'; id: number; message: string };
