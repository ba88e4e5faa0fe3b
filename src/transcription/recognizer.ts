import type { Segment } from '../core/types.js';
import type { WindowPrompt } from '../core/windowPrompt.js';

/** Every engine hears 16 kHz mono audio. */
export const SAMPLE_RATE = 16_000;

export interface RecognizeOptions {
  /** Aborting must stop the work within a second (kill a child process if need be) and reject with Aborted. */
  signal: AbortSignal;
  /** Fraction of this window done, 0..1, as the recogniser's own callback reports it. */
  onProgress?: (fraction: number) => void;
  /** Told the language the recogniser heard in this window (whisper detects it when asked for `auto`). */
  onLanguage?: (code: string) => void;
  /**
   * The text heard just before this window, when the rule in core/windowPrompt.ts trusts it, and
   * the language it was heard in: a recogniser that takes a prompt (whisper) is given it, so names
   * and spelling carry across the cut; others ignore it.
   */
  prompt?: WindowPrompt | null | undefined;
}

/**
 * A speech recogniser for one window of audio (about 30 seconds): the part
 * that differs between engines. Decoding, chunking, checkpoints, progress and
 * silence handling are shared, in ChunkedEngine, so every engine gets them.
 */
export interface ChunkRecognizer {
  /** For logs and the database, e.g. `whisper:base.en`, `pocketsphinx`, `command:whisper-cli`. */
  readonly name: string;
  /** How many windows it hears well at once, in separate calls (default 1; see TranscriptionEngine.concurrency). */
  readonly concurrency?: number;
  /**
   * Transcribes one window of 16 kHz mono float samples in -1..1. Segment
   * times are seconds from the start of the window.
   */
  recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]>;
  /** Frees models and child processes. Safe to call twice; recognize() after it starts afresh. */
  dispose(): Promise<void>;
  /** Loads the model ahead of the next recognize(), for recognisers that keep one loaded. */
  prewarm?(): Promise<void>;
  /** Keeps the model loaded until the returned function is called (TranscriptionEngine.keepLoaded). */
  keepLoaded?(): Promise<() => void>;
  /**
   * A session for one task's windows, heard in turn by one process, for
   * recognisers whose start-up (a model load) is worth paying once per task
   * rather than once per window. ChunkedEngine opens one per transcribe()
   * and closes it when the task ends, fails or is aborted. Null: this
   * recogniser hears each window on its own after all.
   */
  openSession?(): RecognizerSession | null;
}

/** One task's windows, one at a time: each still heard as a window of its own. */
export interface RecognizerSession {
  /** As ChunkRecognizer.recognize; a failure fails this call only (the next one starts afresh). */
  recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]>;
  /** Ends the session and any process it holds, resolving once that process is gone. Safe to call twice. */
  close(): Promise<void>;
}
