import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { EngineFailed } from '../core/errors.js';
import type { Segment } from '../core/types.js';
import { throwIfAborted } from './abortable.js';
import { runInProcessGroup } from './processGroup.js';
import { type ChunkRecognizer, type RecognizeOptions, SAMPLE_RATE } from './recognizer.js';
import { speechOnset } from './vad.js';
import { withWindowWav } from './wav.js';

/** Where Debian's pocketsphinx-en-us package puts the US English model. */
export const DEBIAN_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const BINARY = 'pocketsphinx_continuous';

export interface PocketsphinxOptions {
  /** The `pocketsphinx_continuous` program, by name (looked up in PATH) or path. */
  binary?: string;
  /** A folder holding `en-us/` (the acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir?: string;
  /** A silence longer than this between words starts a new segment. Default 0.6 s. */
  pauseSeconds?: number;
  /** A window that takes longer than this is killed and fails. Default 300 s. */
  timeoutSeconds?: number;
}

export interface TimedWord {
  word: string;
  /** Seconds from the start of the window. */
  start: number;
  end: number;
}

/**
 * CMU pocketsphinx, the offline fallback, through Debian's
 * `pocketsphinx_continuous`: each window is written to a wav and recognised
 * by a fresh process. Starting one costs about 0.7 s of model loading on a
 * small machine against about 9 s of work for a 30 s window, so a
 * long-lived process (whose own silence detection would blur the window
 * boundaries) is not worth its complexity.
 */
export class PocketsphinxRecognizer implements ChunkRecognizer {
  readonly name = 'pocketsphinx';
  /** Each call is its own single-threaded process: calls side by side use the cores side by side. */
  readonly concurrency = Number.POSITIVE_INFINITY;

  constructor(private readonly options: PocketsphinxOptions = {}) {}

  async recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    throwIfAborted(options.signal);
    const skipped = quietLeadIn(samples);
    const offset = skipped / SAMPLE_RATE;
    const windowSeconds = samples.length / SAMPLE_RATE;
    const output = await withWindowWav(samples.subarray(skipped), (wavPath, folder) =>
      this.run(wavPath, join(folder, 'pocketsphinx.log'), { windowSeconds, offset }, options),
    );
    return groupWords(parsePocketsphinxOutput(output), this.options.pauseSeconds ?? 0.6).map((segment) => ({
      ...segment,
      start: segment.start + offset,
      end: segment.end + offset,
    }));
  }

  async dispose(): Promise<void> {
    // Nothing outlives a recognize() call.
  }

  private async run(
    wavPath: string,
    logPath: string,
    { windowSeconds, offset }: { windowSeconds: number; offset: number },
    options: RecognizeOptions,
  ): Promise<string> {
    const modelDir = this.options.modelDir ?? DEBIAN_MODEL_DIR;
    const args = ['-infile', wavPath, '-time', 'yes', '-logfn', logPath, ...DITHER, ...modelArgs(modelDir)];
    const result = await runInProcessGroup(this.options.binary ?? BINARY, args, {
      signal: options.signal,
      label: 'pocketsphinx',
      timeoutMs: (this.options.timeoutSeconds ?? 300) * 1000,
      onStdoutLine: (line) => {
        const word = parseWordLine(line);
        if (word && windowSeconds > 0) options.onProgress?.(Math.min(1, (offset + word.end) / windowSeconds));
      },
    });
    if (result.code !== 0) {
      throw new EngineFailed(
        `pocketsphinx failed (${result.code === null ? `killed by ${result.signal}` : `exit code ${result.code}`})` +
          `: ${await lastLogError(logPath)}`,
      );
    }
    return result.stdout;
  }
}

/** How much of the quiet before the first speech a window keeps. */
const LEAD_IN_SECONDS = 0.5;

/**
 * The samples to drop from the start of a window: all but the last half
 * second of the quiet before speech begins. pocketsphinx estimates the noise
 * from the first frames it hears; after two seconds or more of quiet
 * (digital silence, or faint noise) at the start, the speech that follows
 * comes out as other words: the eight flite sentences, each after 2, 10 or
 * 20 s of silence, gave a WER of 92–95 %, against 16–17 % once trimmed (14 %
 * with no silence before them). Found on the corpus's 3-hour file
 * (tests/badAudioLong.test.ts), where each sentence follows minutes of
 * silence. Words keep their times in the window: the caller adds the trimmed
 * length back.
 */
export function quietLeadIn(samples: Float32Array): number {
  const onset = speechOnset(samples);
  if (onset === null) return 0;
  return Math.max(0, onset - Math.round(LEAD_IN_SECONDS * SAMPLE_RATE));
}

/**
 * Stretches of exact digital zeros (synthesised speech, generated silence,
 * gaps a recorder pads) break pocketsphinx's log-spectrum noise estimate:
 * on flite speech cut into windows the word error rate falls from about 18 %
 * to 13 % with dither (±1 bit of noise, inaudible on real recordings). The
 * seed is fixed so the same window always gives the same words, which
 * resuming from a checkpoint relies on.
 */
const DITHER = ['-dither', 'yes', '-seed', '1'];

function modelArgs(modelDir: string): string[] {
  return [
    '-hmm',
    join(modelDir, 'en-us'),
    '-lm',
    join(modelDir, 'en-us.lm.bin'),
    '-dict',
    join(modelDir, 'cmudict-en-us.dict'),
  ];
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

/** Utterance and silence markers (`<s>`, `</s>`, `<sil>`) and fillers (`[NOISE]`, `++BREATH++`). */
function isMarker(word: string): boolean {
  return /^(<.*>|\[.*\]|\+\+.*\+\+|\+.*\+)$/.test(word);
}

/**
 * Groups words into segments, starting a new one at every utterance
 * boundary and every pause longer than `pauseSeconds`. Markers are dropped and
 * alternate pronunciations (`to(3)`) lose their suffix.
 */
export function groupWords(words: readonly TimedWord[], pauseSeconds: number): Segment[] {
  const segments: Segment[] = [];
  let current: { start: number; end: number; words: string[] } | null = null;
  const close = () => {
    if (current) segments.push({ start: current.start, end: current.end, text: current.words.join(' ') });
    current = null;
  };
  for (const { word, start, end } of words) {
    if (word === '<s>' || word === '</s>') close();
    if (isMarker(word)) continue;
    if (current && start - current.end > pauseSeconds) close();
    current ??= { start, end, words: [] };
    current.words.push(word.replace(/\(\d+\)$/, ''));
    current.end = end;
  }
  close();
  return segments;
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
