import type { ChunkResult, TranscribeOptions, TranscriptionEngine } from '../core/engine.js';
import { textOfSegments } from '../core/engine.js';
import { Aborted, type AbortReason, EngineFailed, HarkError } from '../core/errors.js';
import type { Segment, Transcript } from '../core/types.js';
import { promptAfter, promptFor, type WindowPrompt } from '../core/windowPrompt.js';
import { mayHearAnother, windowsAtOnce } from '../core/windowsAtOnce.js';
import { abortedError, throwIfAborted } from './abortable.js';
import { isOnlyAnnotations } from './annotations.js';
import { type AudioWindow, type WindowOptions, windowsOf } from './chunker.js';
import { decodePcm, probeAudio } from './ffmpeg.js';
import { cutRepetitions } from './guards/repetition.js';
import { dropSilentSegments } from './guards/silentSegments.js';
import { type HearingNow, heardInOrder, hearingInThisProcess, type LookAhead } from './heardInOrder.js';
import { collectGarbage } from './memory.js';
import {
  type ChunkRecognizer,
  type RecognizeOptions,
  type RecognizerSession,
  SAMPLE_RATE,
} from './recognizer.js';
import { containsSpeech } from './vad.js';

export interface ChunkedEngineOptions extends WindowOptions {
  /** Decides whether a window holds speech; windows without it never reach the recogniser. */
  isSpeech?: (samples: Float32Array) => boolean;
  /** The language the recogniser hears, reported with each transcript. */
  language?: string;
  /**
   * After an abort, how long to wait for the recogniser to stop before
   * rejecting anyway (so a recogniser that ignores its signal cannot hold
   * the caller past the one-second promise).
   */
  abortGraceMs?: number;
  /**
   * Whether each window gets the previous window's text as its prompt, when core/windowPrompt.ts
   * trusts it (default true; whisper takes it, other recognisers ignore it). Each chunk records the
   * prompt it leaves either way, so a task resumed after a change of heart still resumes exactly.
   */
  windowPrompt?: boolean | (() => boolean);
  /**
   * The most windows of one file heard at once (default: the cores, capped by what the
   * recogniser takes at once; core/windowsAtOnce.ts). 1 hears them one after another. Heard
   * side by side, windows get no prompt; they are committed in order either way.
   */
  windowsAtOnce?: number;
  /** Where every engine of the process counts the windows it hears (tests give their own). */
  hearing?: HearingNow;
}

/** Progress stays below 1 until the last window is done, even when the header's duration is short. */
const BEFORE_DONE = 0.999;

/**
 * The engine every recogniser is run in: decodes the file with ffmpeg
 * (streamed), cuts it into windows at quiet moments, skips windows with no
 * speech, asks the recogniser about the rest one at a time, and reports
 * progress and a checkpointable chunk after each.
 */
export class ChunkedEngine implements TranscriptionEngine {
  readonly name: string;
  readonly concurrency: number;

  constructor(
    private readonly recognizer: ChunkRecognizer,
    private readonly options: ChunkedEngineOptions = {},
  ) {
    this.name = recognizer.name;
    this.concurrency = recognizer.concurrency ?? 1;
  }

  /** The header's (or a scan's) duration, as transcribe() reads it; null for a file it cannot read. */
  async probeDuration(audioPath: string): Promise<number | null> {
    try {
      return (await probeAudio(audioPath)).duration;
    } catch {
      return null;
    }
  }

  async transcribe(audioPath: string, options: TranscribeOptions): Promise<Transcript> {
    const { signal } = options;
    throwIfAborted(signal);
    // One recogniser session per task, where the recogniser offers one: its process ends with the task.
    const session = this.recognizer.openSession?.() ?? null;
    try {
      const info = await probeAudio(audioPath, signal);
      const startAt = wholeSample(Math.min(Math.max(0, options.startAt ?? 0), info.duration));
      const progress = new ProgressReporter(info.duration, options.onProgress);
      progress.report(startAt / (info.duration || 1));
      const pcm = decodePcm(audioPath, { signal, startAt, expected: info });
      const segments: Segment[] = [];
      // On a resume, the committed windows' languages count as an uninterrupted run would count them.
      const heardLanguages = new LanguageTally(startAt > 0 ? (options.languages ?? []) : []);
      let index = options.firstChunkIndex ?? 0;
      // What the window before left as a prompt: on a resume, what the checkpoint's last chunk left.
      let left: WindowPrompt | null = startAt > 0 ? (options.prompt ?? null) : null;
      const hearing = this.options.hearing ?? hearingInThisProcess;
      const limit = windowsAtOnce({
        requested: this.options.windowsAtOnce,
        cores: hearing.cores,
        recognizerConcurrency: this.concurrency,
        session: session !== null,
      });
      // A window's prompt is the text of the window before, so prompts need the windows in turn.
      const prompted = limit === 1 && this.promptsOn();
      // Stops the windows still being heard when the file ends early (one failed, or a commit did).
      const stopWindows = new AbortController();
      const windowSignal = AbortSignal.any([signal, stopWindows.signal]);
      const hear = async (window: AudioWindow): Promise<ChunkResult> => {
        throwIfAborted(windowSignal);
        const heard = {
          startAt,
          index: index++,
          progress,
          signal: windowSignal,
          session,
          languages: heardLanguages,
          left,
          prompted,
        };
        const ended = hearing.begin();
        try {
          return await this.transcribeWindow(window, heard);
        } finally {
          ended();
        }
      };
      const ahead = lookAhead(limit, hearing, stopWindows);
      for await (const chunk of heardInOrder(windowsOf(pcm, this.options), hear, ahead)) {
        throwIfAborted(signal);
        left = chunk.nextPrompt ?? null;
        segments.push(...chunk.segments);
        progress.report(chunk.progress);
        throwIfAborted(signal);
        await options.onChunk?.(chunk);
        collectGarbage();
      }
      throwIfAborted(signal);
      progress.report(1);
      return {
        text: textOfSegments(segments),
        segments,
        language: heardLanguages.mostHeard() ?? this.options.language,
        duration: info.duration,
      };
    } catch (error) {
      throw asEngineError(error, signal);
    } finally {
      await session?.close();
    }
  }

  async dispose(): Promise<void> {
    await this.recognizer.dispose();
  }

  private promptsOn(): boolean {
    const setting = this.options.windowPrompt ?? true;
    return typeof setting === 'function' ? setting() : setting;
  }

  async prewarm(): Promise<void> {
    await this.recognizer.prewarm?.();
  }

  async keepLoaded(): Promise<() => void> {
    return (await this.recognizer.keepLoaded?.()) ?? (() => {});
  }

  private async transcribeWindow(
    window: AudioWindow,
    { startAt, index, progress, signal, session, languages, left, prompted }: WindowContext,
  ): Promise<ChunkResult> {
    const start = startAt + window.start;
    const end = startAt + window.end;
    const length = end - start;
    const isSpeech = this.options.isSpeech ?? containsSpeech;
    const speech = isSpeech(window.samples);
    let language = this.options.language ?? null;
    let heardIn: string | null = null;
    const next = { language: this.options.language, seconds: length };
    const prompt = prompted ? promptFor(left, next) : null;
    const heard = speech
      ? await this.recognize(session ?? this.recognizer, window.samples, signal, {
          onProgress: (fraction) => progress.report(progress.fractionAt(start + length * clamp01(fraction))),
          onLanguage: (code) => {
            languages.add(code);
            language = code;
            heardIn = code;
          },
          prompt,
        })
      : [];
    const { kept, changed } = guarded(window.samples, heard);
    const nextPrompt = promptAfter({ speech, kept, guardsChanged: changed, language });
    const segments = kept.map((segment) => toFileTime(segment, start, length));
    const done = window.final ? 1 : progress.fractionAt(end);
    return { index, start, end, segments, progress: done, nextPrompt, language: heardIn };
  }

  /** Runs the recogniser, rejecting within the grace period of an abort even if it does not stop. */
  private recognize(
    hearer: Pick<ChunkRecognizer, 'recognize'>,
    samples: Float32Array,
    signal: AbortSignal,
    told: Omit<RecognizeOptions, 'signal'>,
  ): Promise<Segment[]> {
    const recognition = hearer.recognize(samples, { ...told, signal }).catch((error: unknown) => {
      throw error instanceof HarkError || error instanceof Aborted ? error : recogniserFailed(error);
    });
    const grace = this.options.abortGraceMs ?? 500;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        timer = setTimeout(() => reject(abortedError(signal)), grace);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      recognition.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
    });
  }
}

/** How far ahead of the window being committed a file may hear (core/windowsAtOnce.ts's rule). */
function lookAhead(limit: number, hearing: HearingNow, stopWindows: AbortController): LookAhead {
  return {
    mayStart: (running) =>
      mayHearAnother({ inFlight: running, limit, hearingInProcess: hearing.windows, cores: hearing.cores }),
    // Windows heard early wait for the ones before them; no more than this many are uncommitted.
    mostPending: 2 * limit,
    stop: () => stopWindows.abort({ kind: 'cancelled' } satisfies AbortReason),
  };
}

/** What a window is heard with: its place in the file, the file's progress, the signal, the task's session, the languages heard so far, the prompt left for it. */
interface WindowContext {
  startAt: number;
  index: number;
  progress: ProgressReporter;
  signal: AbortSignal;
  /** The task's recogniser session, or null to call the recogniser itself. */
  session: RecognizerSession | null;
  languages: LanguageTally;
  left: WindowPrompt | null;
  /** Whether prompts are on for this file (the setting, read once per file). */
  prompted: boolean;
}

/**
 * What the recogniser heard, less what it is known to invent: bracketed
 * annotations, repetition loops, and text over the window's silent parts;
 * `changed` when a loop was cut or a segment over silence dropped (labels
 * such as "[BLANK_AUDIO]" are not words, and their going changes nothing).
 */
function guarded(samples: Float32Array, heard: readonly Segment[]): { kept: Segment[]; changed: boolean } {
  const words = heard.filter((segment) => !isOnlyAnnotations(segment.text));
  const kept = dropSilentSegments(samples, cutRepetitions(words));
  const changed = kept.length !== words.length || kept.some((segment, i) => segment.text !== words[i]?.text);
  return { kept, changed };
}

/** Moves a window's segment (and its words, when the engine gave them) onto the file's timeline, kept inside the window. */
function toFileTime(segment: Segment, windowStart: number, windowLength: number): Segment {
  const inWindow = (seconds: number, from = 0) => Math.min(Math.max(from, seconds), windowLength);
  const start = inWindow(segment.start);
  const end = inWindow(segment.end, start);
  const moved: Segment = { start: windowStart + start, end: windowStart + end, text: segment.text.trim() };
  if (segment.words && segment.words.length > 0) {
    moved.words = segment.words.map((word) => {
      const wordStart = inWindow(word.start);
      return {
        start: windowStart + wordStart,
        end: windowStart + inWindow(word.end, wordStart),
        text: word.text,
      };
    });
  }
  return moved;
}

/** After an abort every failure is the abort; otherwise errors pass unchanged (an onChunk error is the caller's). */
function asEngineError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return error instanceof Aborted ? error : abortedError(signal);
  return error;
}

function recogniserFailed(error: unknown): EngineFailed {
  return new EngineFailed(
    `The recogniser failed: ${error instanceof Error ? error.message : String(error)}`,
    error,
  );
}

/**
 * Resume points are window boundaries, which fall on whole samples; rounding
 * keeps float sums like 7.65 + 7.95 from seeking a hair before the sample.
 */
function wholeSample(seconds: number): number {
  return Math.round(seconds * SAMPLE_RATE) / SAMPLE_RATE;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/** The languages the recogniser heard, window by window: a file's language is the one heard most. */
class LanguageTally {
  private readonly counts = new Map<string, number>();

  constructor(heard: readonly string[] = []) {
    for (const code of heard) this.add(code);
  }

  add(code: string): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
  }

  mostHeard(): string | undefined {
    let best: string | undefined;
    let most = 0;
    for (const [code, count] of this.counts) {
      if (count > most) [best, most] = [code, count];
    }
    return best;
  }
}

/** Reports progress over the whole file, never going back and never reaching 1 before the end. */
class ProgressReporter {
  private last = -1;

  constructor(
    private readonly duration: number,
    private readonly onProgress: ((fraction: number) => void) | undefined,
  ) {}

  /** The fraction of the file done at `seconds` into it. */
  fractionAt(seconds: number): number {
    if (this.duration <= 0) return 0;
    return Math.min(BEFORE_DONE, seconds / this.duration);
  }

  report(fraction: number): void {
    const value = clamp01(fraction);
    if (value <= this.last) return;
    this.last = value;
    this.onProgress?.(value);
  }
}
