import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { EngineFailed } from '../core/errors.js';
import type { Segment } from '../core/types.js';
import { throwIfAborted } from './abortable.js';
import { PocketsphinxSession } from './pocketsphinxSession.js';
import { type SpareProcess, SpareSlot } from './pocketsphinxSpare.js';
import { modelArgs, type TimedWord, windowSegments, windowToHear } from './pocketsphinxWindow.js';
import { runInProcessGroup } from './processGroup.js';
import {
  type ChunkRecognizer,
  type RecognizeOptions,
  type RecognizerSession,
  SAMPLE_RATE,
} from './recognizer.js';
import { encodeWav, withWindowWav } from './wav.js';

export { groupWords, quietLeadIn, type TimedWord } from './pocketsphinxWindow.js';

/** Where Debian's pocketsphinx-en-us package puts the US English model. */
export const DEBIAN_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const BINARY = 'pocketsphinx_continuous';
/** Debian's pocketsphinx package ships it beside pocketsphinx_continuous: it hears a task's windows in one process. */
const BATCH_BINARY = 'pocketsphinx_batch';

export interface PocketsphinxOptions {
  /** The `pocketsphinx_continuous` program, by name (looked up in PATH) or path. */
  binary?: string;
  /** A folder holding `en-us/` (the acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir?: string;
  /** A silence longer than this between words starts a new segment. Default 0.6 s. */
  pauseSeconds?: number;
  /** A window that takes longer than this is killed and fails. Default 300 s. */
  timeoutSeconds?: number;
  /**
   * Hear a task's windows in one `pocketsphinx_batch` process (openSession)
   * instead of one `pocketsphinx_continuous` per window. Off by default: it
   * measured no faster (BENCHMARKS.md, issue #14), since batch must decode
   * the silent frames that continuous skips to keep the words' times right.
   */
  oneProcessPerTask?: boolean;
  /** The `pocketsphinx_batch` program for oneProcessPerTask. Default: found in PATH. */
  batchBinary?: string;
  /** Told the pid of each process a session starts (tests count them). */
  onSessionProcess?: (pid: number) => void;
  /**
   * Start each window's `pocketsphinx_continuous` ahead, while the window
   * before is heard, so that its model load is off the critical path
   * (pocketsphinxSpare.ts). On by default where `setpriv` is installed.
   */
  spareProcess?: boolean;
  /** How long a spare nobody asked for waits before it is ended. Default 30 s. */
  spareIdleSeconds?: number;
  /** Told the pid of each spare process started (tests count them). */
  onSpareProcess?: (pid: number) => void;
}

/**
 * CMU pocketsphinx, the offline fallback, through Debian's programs. Each
 * window is recognised by a fresh `pocketsphinx_continuous`, started ahead
 * while the window before is heard (pocketsphinxSpare.ts: its model load off
 * the critical path), or written to a wav for one started then. With `oneProcessPerTask`, a task hears its
 * windows in a session instead (openSession, pocketsphinxSession.ts): one
 * `pocketsphinx_batch` process per task, fed each window as its own
 * utterance, so the model (about 11 % of a 30 s window's work) is loaded
 * once per task; it measured no faster, because batch has to decode the
 * silent frames continuous skips (see pocketsphinxSession.ts), so it is not
 * the default. Either way each window is trimmed and dithered alike and
 * heard on its own: a long-lived `pocketsphinx_continuous` fed one stream is
 * avoided, since its own silence detection and noise estimate would run
 * across the window boundaries.
 */
export class PocketsphinxRecognizer implements ChunkRecognizer {
  readonly name = 'pocketsphinx';
  /** Each call is its own single-threaded process: calls side by side use the cores side by side. */
  readonly concurrency = Number.POSITIVE_INFINITY;

  constructor(private readonly options: PocketsphinxOptions = {}) {}

  private readonly sessions = new Set<PocketsphinxSession>();

  openSession(): RecognizerSession | null {
    const batch = this.options.batchBinary ?? BATCH_BINARY;
    if (!this.options.oneProcessPerTask || findProgram(batch) === null) return null;
    const session = new PocketsphinxSession({
      binary: batch,
      modelDir: this.options.modelDir ?? DEBIAN_MODEL_DIR,
      pauseSeconds: this.options.pauseSeconds,
      timeoutSeconds: this.options.timeoutSeconds ?? 300,
      onProcess: this.options.onSessionProcess,
    });
    this.sessions.add(session);
    return {
      recognize: (samples, options) => session.recognize(samples, options),
      close: async () => {
        this.sessions.delete(session);
        await session.close();
      },
    };
  }

  async recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    throwIfAborted(options.signal);
    const { heard, offset } = windowToHear(samples);
    const windowSeconds = samples.length / SAMPLE_RATE;
    const spares = this.spareSlot();
    const output = spares
      ? await this.hearInSpare(spares, encodeWav(heard), { windowSeconds, offset }, options)
      : await withWindowWav(heard, (wavPath, folder) =>
          this.run(wavPath, join(folder, 'pocketsphinx.log'), { windowSeconds, offset }, options),
        );
    return windowSegments(parsePocketsphinxOutput(output), offset, this.options.pauseSeconds);
  }

  /**
   * Called when you press Record: a process is started ahead for your recording's first window
   * (its model loaded while you speak) and kept through the pre-emption of background work, so
   * the recording never waits for a model load. Without spares there is nothing to load ahead.
   */
  async prewarm(): Promise<void> {
    await this.spareSlot()?.keepOneReady();
  }

  async dispose(): Promise<void> {
    // Only a session or a spare outlives a recognize() call; its task closes a session, and so does this.
    const open = [...this.sessions];
    this.sessions.clear();
    await Promise.all([...open.map((session) => session.close()), this.spares?.end()]);
  }

  /** How spares are started and kept (undefined until first asked; null where they are not used). */
  private spares: SpareSlot | null | undefined;

  /** The slot for spares, or null where they are not used (turned off, or no setpriv to tie them to Hark's life). */
  private spareSlot(): SpareSlot | null {
    if (this.spares !== undefined) return this.spares;
    const setpriv = this.options.spareProcess === false ? null : findProgram('setpriv');
    const binary = findProgram(this.options.binary ?? BINARY);
    const args = ['-time', 'yes', ...modelArgs(this.options.modelDir ?? DEBIAN_MODEL_DIR)];
    this.spares =
      setpriv && binary
        ? new SpareSlot(
            { setpriv, binary, args },
            {
              idleMs: (this.options.spareIdleSeconds ?? 30) * 1000,
              ...(this.options.onSpareProcess ? { onStarted: this.options.onSpareProcess } : {}),
            },
          )
        : null;
    return this.spares;
  }

  /**
   * Hears the window in the spare started ahead (or in one started now, the
   * first time), and starts the next window's spare at once. An abort kills
   * both; a process that dies fails this window only.
   */
  private async hearInSpare(
    spares: SpareSlot,
    wav: Buffer,
    { windowSeconds, offset }: { windowSeconds: number; offset: number },
    options: RecognizeOptions,
  ): Promise<string> {
    const { signal } = options;
    const onAbort = () => void spares.endUnlessKept();
    signal.addEventListener('abort', onAbort, { once: true });
    let process: SpareProcess | null = null;
    try {
      process = await spares.take();
      throwIfAborted(signal);
      spares.fillAhead(signal);
      const result = await process.hear(wav, {
        signal,
        timeoutMs: (this.options.timeoutSeconds ?? 300) * 1000,
        onStdoutLine: progressFromWords(windowSeconds, offset, options),
      });
      return await stdoutOrFailure(result, process.logPath);
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (process) {
        await process.kill();
        await process.remove();
      }
    }
  }

  private async run(
    wavPath: string,
    logPath: string,
    { windowSeconds, offset }: { windowSeconds: number; offset: number },
    options: RecognizeOptions,
  ): Promise<string> {
    const modelDir = this.options.modelDir ?? DEBIAN_MODEL_DIR;
    const args = ['-infile', wavPath, '-time', 'yes', '-logfn', logPath, ...modelArgs(modelDir)];
    const result = await runInProcessGroup(this.options.binary ?? BINARY, args, {
      signal: options.signal,
      label: 'pocketsphinx',
      timeoutMs: (this.options.timeoutSeconds ?? 300) * 1000,
      onStdoutLine: progressFromWords(windowSeconds, offset, options),
    });
    return stdoutOrFailure(result, logPath);
  }
}

/** Each word line's end time, as the window's progress (the words come as they are heard). */
function progressFromWords(
  windowSeconds: number,
  offset: number,
  options: RecognizeOptions,
): (line: string) => void {
  return (line) => {
    const word = parseWordLine(line);
    if (word && windowSeconds > 0) options.onProgress?.(Math.min(1, (offset + word.end) / windowSeconds));
  };
}

/** What pocketsphinx printed, or why it failed: how it ended and the last error its log names. */
async function stdoutOrFailure(
  result: { code: number | null; signal: NodeJS.Signals | null; stdout: string },
  logPath: string,
): Promise<string> {
  if (result.code === 0) return result.stdout;
  const how = result.code === null ? `killed by ${result.signal}` : `exit code ${result.code}`;
  throw new EngineFailed(`pocketsphinx failed (${how}): ${await lastLogError(logPath)}`);
}

/** pocketsphinx logs its errors, not to stderr; the last ERROR/FATAL line says why it stopped. */
async function lastLogError(logPath: string): Promise<string> {
  const log = await readFile(logPath, 'utf8').catch(() => '');
  const errors = log.split('\n').filter((line) => /^(ERROR|FATAL)/.test(line));
  return errors.at(-1)?.trim() ?? 'no error was logged';
}

/** A `-time yes` word line: `word start end confidence`, times in seconds with three decimals. */
function parseWordLine(line: string): TimedWord | null {
  const match = /^(\S+) (\d+\.\d+) (\d+\.\d+) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/.exec(line.trim());
  if (!match) return null;
  return { word: match[1] ?? '', start: Number(match[2]), end: Number(match[3]) };
}

/**
 * The timed words of `pocketsphinx_continuous -time yes` output, markers
 * included. Each utterance prints its text on one line and then a line per
 * word; the text lines are skipped.
 */
export function parsePocketsphinxOutput(output: string): TimedWord[] {
  return output
    .split('\n')
    .map(parseWordLine)
    .filter((word): word is TimedWord => word !== null);
}

export interface PocketsphinxInfo {
  binary: string;
  modelDir: string;
  /** The Debian package's version, or `unknown` elsewhere. */
  version: string;
}

/** Whether the program and the model files are installed (for choosing the engine and `hark doctor`). */
export function pocketsphinxAvailable(options: PocketsphinxOptions = {}): boolean {
  const modelDir = options.modelDir ?? DEBIAN_MODEL_DIR;
  const files = [
    join(modelDir, 'en-us', 'mdef'),
    join(modelDir, 'en-us.lm.bin'),
    join(modelDir, 'cmudict-en-us.dict'),
  ];
  return findProgram(options.binary ?? BINARY) !== null && files.every((file) => existsSync(file));
}

/** What `hark doctor` shows about pocketsphinx, or null when it is not installed. */
export async function pocketsphinxInfo(options: PocketsphinxOptions = {}): Promise<PocketsphinxInfo | null> {
  const binary = findProgram(options.binary ?? BINARY);
  if (binary === null || !pocketsphinxAvailable(options)) return null;
  let version = 'unknown';
  try {
    // pocketsphinx_continuous has no --version; the package manager knows.
    const { stdout } = await promisify(execFile)('dpkg-query', ['-W', `-f=\${Version}`, 'pocketsphinx'], {
      timeout: 5000,
    });
    version = stdout.trim() || version;
  } catch {
    // Not a Debian system, or installed from source.
  }
  return { binary, modelDir: options.modelDir ?? DEBIAN_MODEL_DIR, version };
}

function findProgram(name: string): string | null {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}
