import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { audioContextFor } from '../../core/audioContext.js';
import { type Clock, systemClock } from '../../core/clock.js';
import { EngineFailed, HarkError } from '../../core/errors.js';
import { planLanguage } from '../../core/languages.js';
import type { Segment } from '../../core/types.js';
import { abortedError, throwIfAborted } from '../abortable.js';
import { type ChunkRecognizer, type RecognizeOptions, SAMPLE_RATE } from '../recognizer.js';
import {
  type HostExit,
  HostProcess,
  type HostReady,
  HostRequestFailed,
  type HostResult,
} from './hostProcess.js';
import { progressFraction, wordSegments } from './segments.js';
import { defaultWhisperRuntime, type WhisperRuntime } from './whisperRuntime.js';

export interface WhisperRecognizerOptions {
  /** A whisper.cpp ggml model file. */
  modelPath: string;
  /** For the engine's name, e.g. `base.en` (default: from the file name, `ggml-base.en.bin` → `base.en`). */
  modelName?: string;
  /**
   * A whisper language code, or 'auto' (default: 'en' for English-only models, 'auto' for multilingual
   * ones), for calls that do not name their own (WhisperCallOptions).
   */
  language?: string;
  /** whisper's translate-to-English task (multilingual models only), for calls that do not say. */
  translate?: boolean;
  /** Threads for one window (default: the CPUs this process may use, at most 8, past which whisper gains little). */
  threads?: number;
  /** Free the model (end the host process) after this long without work; default 5 minutes. */
  idleMs?: number;
  /** Times the idle time (tests move it by hand). */
  clock?: Clock;
  /**
   * How much of the encoder a window uses: 'fit' (the default) encodes only what a short window
   * needs (audioContextFor), 'full' always the whole 30 seconds, as whisper does by default.
   */
  audioContext?: 'fit' | 'full';
  /** Which program hosts the model (default: whisper.cpp built for this machine when it is, else the binding). */
  runtime?: WhisperRuntime;
}

/** A call's language (a code or 'auto') and task, over the recogniser's own: one host serves every language. */
export interface WhisperCallOptions extends RecognizeOptions {
  language?: string | undefined;
  translate?: boolean | undefined;
}

export type UnloadReason = 'idle' | 'aborted' | 'disposed' | 'exited';

export interface WhisperRecognizerEvents {
  /** The model finished loading in a new host process. */
  load: [{ pid: number; loadMs: number }];
  /** A host process ended, freeing its model. 'exited' means nobody asked it to (a crash, a kill from outside). */
  unload: [{ pid: number; reason: UnloadReason; exit: HostExit }];
  /** The host began inference on a window (from here on, only killing it can stop it). */
  inference: [{ pid: number }];
  /**
   * A window was transcribed; `audioCtx` is the encoder context it ran with (0: the full 30 s),
   * `prompt` the initial prompt its kept decode had ('' for none).
   */
  window: [{ inferenceMs: number; rssBytes: number; audioCtx: number; prompt: string }];
}

const DEFAULT_IDLE_MS = 5 * 60_000;
const MAX_DEFAULT_THREADS = 8;
/** This build of whisper.cpp silently skips input shorter than one second; shorter windows are padded. */
const MIN_SAMPLES = Math.ceil(SAMPLE_RATE * 1.1);

/**
 * whisper.cpp (through @napi-rs/whisper) as a ChunkRecognizer. Inference runs
 * in a long-lived child process (host.ts) that loads the model once and
 * serves every window of every file, in every language (each call names its own:
 * WhisperInLanguage), so the server's event loop never blocks
 * and an abort can always stop it: by killing the process. A dead host costs
 * only the call it was serving; the next call starts a new one.
 */
export class WhisperRecognizer extends EventEmitter<WhisperRecognizerEvents> implements ChunkRecognizer {
  readonly name: string;
  /** Models loaded so far (one per host process started). */
  loads = 0;
  private host: HostProcess | null = null;
  private readonly stopReasons = new WeakMap<HostProcess, UnloadReason>();
  private cancelIdleTimer: (() => void) | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  /** Calls (recognize, prewarm) under way: the host must stay, and keep this process alive, until they end. */
  private active = 0;
  /** Holds on the model (keepLoaded: an open recording): while any is held, the idle time never frees it. */
  private holds = 0;

  /** Which program hosts the model. */
  readonly runtime: WhisperRuntime;

  constructor(private readonly options: WhisperRecognizerOptions) {
    super();
    this.runtime = options.runtime ?? defaultWhisperRuntime();
    this.name = `whisper:${options.modelName ?? modelNameFromPath(options.modelPath)}`;
  }

  /** The host process's pid, while there is one. */
  get pid(): number | null {
    return this.host?.pid ?? null;
  }

  /** Loads the model now, so the next window does not wait for it. */
  async prewarm(): Promise<void> {
    const host = this.begin();
    try {
      await this.whenLoaded(host);
    } finally {
      this.end();
    }
  }

  /**
   * Keeps the model loaded until the returned function is called, however long it waits without
   * work; the idle time counts from then. Loading is prewarm's: this only keeps what is (or will be) loaded.
   */
  async keepLoaded(): Promise<() => void> {
    this.holds++;
    this.cancelIdle();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.armIdle();
    };
  }

  recognize(samples: Float32Array, options: WhisperCallOptions): Promise<Segment[]> {
    // One window at a time: a second call waits (abortably) for the first.
    const previous = this.tail;
    const run = (async () => {
      await untilAborted(
        options.signal,
        previous.catch(() => {}),
      );
      return this.recognizeNow(samples, options);
    })();
    this.tail = run.catch(() => {});
    return run;
  }

  async dispose(): Promise<void> {
    this.cancelIdle();
    if (this.host) await this.endHost(this.host, 'disposed', (host) => host.kill());
  }

  private async recognizeNow(samples: Float32Array, options: WhisperCallOptions) {
    const { signal, onLanguage } = options;
    throwIfAborted(signal);
    if (samples.length === 0) return [];
    const host = this.begin();
    try {
      const ready = await untilAborted(signal, this.whenLoaded(host));
      const result = await untilAborted(signal, this.request(host, ready, samples, options));
      this.emit('window', {
        inferenceMs: result.inferenceMs,
        rssBytes: result.rssBytes,
        audioCtx: result.audioCtx,
        prompt: result.prompt,
      });
      if (result.language) onLanguage?.(result.language);
      return wordSegments(result.segments, result.text, samples.length / SAMPLE_RATE);
    } catch (error) {
      if (!signal.aborted) throw error;
      // full() cannot be interrupted: the only way to stop it is to end the process.
      await this.endHost(host, 'aborted', (current) => current.kill());
      // Held (a recording is open, pre-empting this window): load the model again for it now.
      if (this.holds > 0) void this.prewarm().catch(() => {});
      throw abortedError(signal);
    } finally {
      this.end();
    }
  }

  private request(
    host: HostProcess,
    ready: HostReady,
    samples: Float32Array,
    { onProgress, language, translate, prompt }: WhisperCallOptions,
  ): Promise<HostResult> {
    // What the loaded model says of itself decides (a renamed file cannot fool it); the name was checked before.
    const plan = planLanguage(
      { language: language ?? this.options.language, translate: translate ?? this.options.translate },
      { engine: 'whisper', modelName: this.name.replace(/^whisper:/, ''), multilingual: ready.multilingual },
    );
    const window = padded(samples);
    const request = host.request(window, {
      language: plan.language,
      translate: plan.translate,
      threads: this.options.threads ?? Math.min(availableParallelism(), MAX_DEFAULT_THREADS),
      audioCtx: this.audioContext(window.length / SAMPLE_RATE, ready.audioCtx),
      prompt,
      onProgress: (percent) => onProgress?.(progressFraction(percent)),
      onStarted: () => this.emit('inference', { pid: host.pid ?? -1 }),
    });
    return request.catch((error: unknown) => {
      if (!(error instanceof HostRequestFailed)) throw error;
      // A host that died is never reused, even if its exit has not been processed yet.
      if (error.exit && this.host === host) this.host = null;
      throw new EngineFailed(`whisper failed on a window: ${error.message}`, error);
    });
  }

  /** The encoder context for a window this long; 0 (whisper's default) when it needs the whole window. */
  private audioContext(seconds: number, modelAudioCtx: number): number {
    if (this.options.audioContext === 'full') return 0;
    const fitted = audioContextFor(seconds, modelAudioCtx);
    return fitted >= modelAudioCtx ? 0 : fitted;
  }

  private async whenLoaded(host: HostProcess): Promise<HostReady> {
    try {
      return await host.ready;
    } catch (error) {
      // A host that could not load is never reused: the next call starts a new one.
      if (this.host === host) this.host = null;
      if (error instanceof HostRequestFailed && error.exit) {
        throw new EngineFailed(`whisper could not start: ${error.message}`, error);
      }
      throw new HarkError(
        'engine_unavailable',
        `whisper could not load the model ${this.options.modelPath}: ${(error as Error).message}`,
        { retryable: false, cause: error },
      );
    }
  }

  private currentHost(): HostProcess {
    if (this.host) return this.host;
    const host = new HostProcess(this.options.modelPath, this.runtime);
    this.host = host;
    host.ready.then(
      (ready) => {
        this.loads++;
        this.emit('load', { pid: host.pid ?? -1, loadMs: ready.loadMs });
      },
      () => {},
    );
    void host.exited.then((exit) => {
      if (this.host === host) this.host = null;
      this.emit('unload', { pid: host.pid ?? -1, reason: this.stopReasons.get(host) ?? 'exited', exit });
    });
    return host;
  }

  private async endHost(
    host: HostProcess,
    reason: UnloadReason,
    end: (host: HostProcess) => Promise<HostExit>,
  ): Promise<void> {
    if (this.host === host) this.host = null;
    if (!this.stopReasons.has(host)) this.stopReasons.set(host, reason);
    await end(host);
  }

  private begin(): HostProcess {
    this.active++;
    this.cancelIdle();
    const host = this.currentHost();
    host.setKeepsProcessAlive(true);
    return host;
  }

  /** After the last call: let this process exit if it wants to, and free the model after the idle time. */
  private end(): void {
    this.active--;
    if (this.active > 0 || !this.host) return;
    this.host.setKeepsProcessAlive(false);
    this.armIdle();
  }

  /** Frees the model after the idle time, unless a call is under way or a hold is kept. */
  private armIdle(): void {
    this.cancelIdle();
    const host = this.host;
    if (!host || this.active > 0 || this.holds > 0) return;
    // The system clock's timers never keep this process alive.
    this.cancelIdleTimer = (this.options.clock ?? systemClock).setTimer(
      this.options.idleMs ?? DEFAULT_IDLE_MS,
      () => void this.endHost(host, 'idle', (idle) => idle.stop()),
    );
  }

  private cancelIdle(): void {
    this.cancelIdleTimer?.();
    this.cancelIdleTimer = null;
  }
}

/** `ggml-base.en.bin` → `base.en`; any other file name without its extension. */
export function modelNameFromPath(path: string): string {
  return basename(path)
    .replace(/\.bin$/, '')
    .replace(/^ggml-/, '');
}

function padded(samples: Float32Array): Float32Array {
  if (samples.length >= MIN_SAMPLES) return samples;
  const out = new Float32Array(MIN_SAMPLES);
  out.set(samples);
  return out;
}

/** Resolves or rejects with `work`, or rejects as soon as the signal fires (leaving `work` to settle unobserved). */
function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(abortedError(signal));
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
