import type { Segment, TaskLanguage, Transcript } from './types.js';
import type { WindowPrompt } from './windowPrompt.js';

/**
 * A finished piece of a file's transcript. Engines work through audio in
 * windows of about 30 seconds; after each one the caller may commit it as a
 * checkpoint, and a later attempt resumes from `end` instead of from zero.
 */
export interface ChunkResult {
  index: number;
  /** Seconds from the start of the file. */
  start: number;
  end: number;
  /** Segments with times from the start of the file. */
  segments: Segment[];
  /** Fraction of the whole file done once this chunk is, 0..1. */
  progress: number;
  /**
   * The prompt this window leaves for the next one (core/windowPrompt.ts), or null for none.
   * Committed with the chunk, so a resumed task prompts its next window as an uninterrupted one would.
   */
  nextPrompt?: WindowPrompt | null;
  /**
   * The language the recogniser heard in this window, or null for none (silence, or a recogniser that
   * does not say). Committed with the chunk, so a resumed task decides its language from every window.
   */
  language?: string | null;
}

export interface TranscribeOptions {
  /** Aborting stops the work promptly (within a second); the promise then rejects with an `Aborted`. */
  signal: AbortSignal;
  /** Fraction of the whole file done, 0..1, never decreasing. */
  onProgress?: (fraction: number) => void;
  /** Resume: skip the audio before this many seconds; it was committed by an earlier attempt. */
  startAt?: number;
  /** Index to give the first chunk of this call (the count of chunks committed before). */
  firstChunkIndex?: number;
  /**
   * Resume: the prompt the last committed chunk left for the window at `startAt` (its
   * `nextPrompt`); none for a fresh start, or a checkpoint from a release that did not store it.
   */
  prompt?: WindowPrompt | null | undefined;
  /**
   * Resume: the languages the committed windows were heard in (Checkpoint.languages), counted with
   * the windows heard now; none from a checkpoint that did not store them.
   */
  languages?: readonly string[] | undefined;
  /**
   * Called after each window, and awaited before the next one starts, so a
   * checkpoint is durable before more work is done.
   */
  onChunk?: (chunk: ChunkResult) => Promise<void> | void;
  /**
   * The language this file was asked to be heard in (an import's choice), over
   * its folder's rule and the settings. The engine hub builds its engine for it;
   * an engine built for one language ignores it.
   */
  language?: TaskLanguage | undefined;
}

/**
 * The one interface every transcription engine implements: audio in, text and
 * timed segments out. `segments` in the result cover only the audio from
 * `startAt` on; the caller joins them to what earlier attempts committed.
 */
export interface TranscriptionEngine {
  /** A short name for logs, the database and `hark doctor` (e.g. `whisper:base.en`). */
  readonly name: string;
  transcribe(audioPath: string, options: TranscribeOptions): Promise<Transcript>;
  /**
   * How many transcribe() calls it runs well at once (default 1): `--parallel` runs no more
   * tasks side by side than this. Whisper keeps one model in one host process and spreads each
   * window over every core already (1); pocketsphinx runs a single-threaded process per call.
   */
  readonly concurrency?: number;
  /** The audio's length in seconds, read without transcribing it (`--parallel` tells short tasks by it); null if unknown. */
  probeDuration?(audioPath: string): Promise<number | null>;
  /**
   * Gets the model loaded ahead of need, when the engine has one to load. Hark
   * calls it when you start recording, so your recording never waits for a
   * model load, even if pre-empting background work had to stop the model.
   */
  prewarm?(): Promise<void>;
  /**
   * Keeps the model loaded, however long it waits without work, until the returned function
   * is called: an open recording holds it, so the model is never freed (by the idle time)
   * under a recording and reloaded when it ends. Engines without a model to keep lack it.
   */
  keepLoaded?(): Promise<() => void>;
  /** Frees the model and any child process. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Joins segments into the transcript's plain text. */
export function textOfSegments(segments: readonly Segment[]): string {
  return segments
    .map((segment) => segment.text.trim())
    .filter((text) => text.length > 0)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
