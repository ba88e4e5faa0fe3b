import { type ChildProcess, spawn } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { EngineFailed, FileMissing, HarkError, UnreadableAudio } from '../core/errors.js';
import { abortedError, throwIfAborted } from './abortable.js';
import { requireFfmpeg } from './ffmpegPath.js';
import { runInProcessGroup } from './processGroup.js';
import { SAMPLE_RATE } from './recognizer.js';

export interface AudioInfo {
  /** Seconds of audio in the file. */
  duration: number;
  /**
   * Where the duration came from: the container's header, ffmpeg's estimate
   * from the bitrate (can be far off), or a scan of every packet (for files
   * with no duration in the header, such as webm recorded by a browser).
   */
  durationSource: 'header' | 'estimate' | 'scan';
  /** ffmpeg's description of the first audio stream, e.g. `opus, 48000 Hz, mono, fltp`. */
  stream: string;
}

export interface DecodeOptions {
  /** Aborting kills ffmpeg at once; the generator then throws Aborted. */
  signal: AbortSignal;
  /** Seconds to skip; ffmpeg seeks (`-ss` before `-i`) instead of decoding them. */
  startAt?: number | undefined;
  /** The probe's result: decoding that ends well short of it means a truncated file. */
  expected?: AudioInfo | undefined;
}

const PROBE_TIMEOUT_MS = 60_000;
const SCAN_TIMEOUT_MS = 10 * 60_000;

/** The ffmpeg to run, as a HarkError the worker understands when there is none. */
export function ffmpegBinary(): string {
  try {
    return requireFfmpeg();
  } catch (error) {
    throw new HarkError('engine_unavailable', (error as Error).message, { cause: error });
  }
}

/**
 * Checks that `path` is audio ffmpeg can read and finds its duration. Every
 * way a file can be unusable becomes FileMissing or an UnreadableAudio whose
 * message says what is wrong with it.
 */
export async function probeAudio(path: string, signal = new AbortController().signal): Promise<AudioInfo> {
  const size = await fileSize(path);
  if (size === 0) throw new UnreadableAudio('The file is empty (0 bytes)');
  await rejectTruncatedWav(path, size);
  const run = await runInProcessGroup(ffmpegBinary(), ['-hide_banner', '-nostdin', '-i', path], {
    signal,
    label: 'ffmpeg',
    timeoutMs: PROBE_TIMEOUT_MS,
    stderrLines: 500,
  });
  const probe = parseProbe(run.stderrTail, path);
  if (!probe.recognised) throw await unrecognisedFile(path, probe.messages);
  if (probe.audioStream === null) {
    throw new UnreadableAudio(
      probe.hasVideo
        ? 'The file has no audio stream: it holds only video or an image'
        : 'The file has no audio stream',
    );
  }
  if (probe.duration === null) {
    return { duration: await scanDuration(path, signal), durationSource: 'scan', stream: probe.audioStream };
  }
  return {
    duration: probe.duration,
    durationSource: probe.estimated ? 'estimate' : 'header',
    stream: probe.audioStream,
  };
}

export interface ProbeOutput {
  /** ffmpeg found a container it understands (it printed `Input #0`). */
  recognised: boolean;
  duration: number | null;
  estimated: boolean;
  audioStream: string | null;
  hasVideo: boolean;
  /** ffmpeg's own messages, without the file name and the `[demuxer @ 0x…]` prefix. */
  messages: string[];
}

/** Reads what `ffmpeg -i file` prints about a file. */
export function parseProbe(lines: readonly string[], path: string): ProbeOutput {
  const output: ProbeOutput = {
    recognised: false,
    duration: null,
    estimated: false,
    audioStream: null,
    hasVideo: false,
    messages: [],
  };
  for (const line of lines) {
    if (line.startsWith('Input #0')) output.recognised = true;
    const duration = /^Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
    if (duration) output.duration = hms(duration[1], duration[2], duration[3]);
    if (line.includes('Estimating duration from bitrate')) output.estimated = true;
    const stream = /^Stream #0:\d+.*?: (Audio|Video): (.*)$/.exec(line);
    if (stream?.[1] === 'Audio' && output.audioStream === null) output.audioStream = stream[2] ?? '';
    if (stream?.[1] === 'Video') output.hasVideo = true;
    if (!output.recognised) output.messages.push(cleanMessage(line, path));
  }
  return output;
}

/**
 * Decodes the audio to 16 kHz mono float samples, streamed: ffmpeg writes
 * into a pipe and waits while the consumer is busy, so memory stays flat
 * however long the file is. Throws UnreadableAudio when ffmpeg fails or the
 * audio stops well before the duration the probe found (a truncated file).
 */
export async function* decodePcm(path: string, options: DecodeOptions): AsyncGenerator<Float32Array> {
  throwIfAborted(options.signal);
  const startAt = options.startAt ?? 0;
  const child = spawn(ffmpegBinary(), decodeArgs(path, startAt), { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = exitOf(child);
  const errors = collectErrors(child, path);
  const kill = () => child.kill('SIGKILL');
  options.signal.addEventListener('abort', kill, { once: true });
  let decodedSamples = 0;
  try {
    const stdout = child.stdout;
    if (!stdout) throw new EngineFailed('ffmpeg has no stdout');
    for await (const samples of floatsOf(stdout)) {
      decodedSamples += samples.length;
      yield samples;
    }
    const status = await exited;
    if (options.signal.aborted) throw abortedError(options.signal);
    checkExit(status, errors);
    checkComplete(options.expected, startAt, decodedSamples / SAMPLE_RATE, errors);
  } finally {
    options.signal.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child.stdout?.destroy();
    await exited;
  }
}

function decodeArgs(path: string, startAt: number): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    ...(startAt > 0 ? ['-ss', startAt.toFixed(6)] : []),
    '-i',
    path,
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    '1',
    '-ar',
    String(SAMPLE_RATE),
    '-acodec',
    'pcm_f32le',
    '-f',
    'f32le',
    'pipe:1',
  ];
}

interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

function exitOf(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
  });
}

/** ffmpeg's error lines (it runs at `-loglevel error`), the first few kept for the message. */
function collectErrors(child: ChildProcess, path: string): string[] {
  const errors: string[] = [];
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const message = cleanMessage(line.trim(), path);
      if (message && errors.length < 5 && !errors.includes(message)) errors.push(message);
    }
  });
  return errors;
}

/** Turns the pipe's bytes into float samples, carrying a split sample over to the next chunk. */
async function* floatsOf(stdout: NodeJS.ReadableStream): AsyncGenerator<Float32Array> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const usable = bytes.length - (bytes.length % 4);
    carry = Buffer.from(bytes.subarray(usable));
    if (usable > 0) yield littleEndianFloats(bytes.subarray(0, usable));
  }
}

const hostIsLittleEndian = endianness() === 'LE';

function littleEndianFloats(bytes: Buffer): Float32Array {
  // Each pipe read is a fresh buffer that nothing else holds: on a little-endian machine, look at
  // its bytes as floats where they lie instead of copying them (the chunker copies them once).
  if (hostIsLittleEndian && bytes.byteOffset % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  }
  const samples = new Float32Array(bytes.length / 4);
  if (hostIsLittleEndian) {
    new Uint8Array(samples.buffer).set(bytes);
  } else {
    for (let i = 0; i < samples.length; i++) samples[i] = bytes.readFloatLE(i * 4);
  }
  return samples;
}

function checkExit(status: ExitStatus, errors: readonly string[]): void {
  if (status.spawnError) {
    throw new HarkError('engine_unavailable', `ffmpeg could not be started: ${status.spawnError.message}`);
  }
  if (status.signal !== null) throw new EngineFailed(`ffmpeg was killed by ${status.signal}`);
  if (status.code !== 0) {
    throw new UnreadableAudio(`The audio could not be decoded${reasonSuffix(errors)}`);
  }
}

/**
 * A file whose audio stops well before the duration its header declares was
 * cut short (a recording that crashed, a copy that did not finish). Durations
 * that are only estimates are not trusted for this.
 */
function checkComplete(
  expected: AudioInfo | undefined,
  startAt: number,
  decodedSeconds: number,
  errors: readonly string[],
): void {
  if (expected?.durationSource !== 'header' || startAt >= expected.duration) return;
  const end = startAt + decodedSeconds;
  const tolerance = Math.max(1, expected.duration * 0.02);
  if (expected.duration - end > tolerance) {
    throw new UnreadableAudio(
      `The file is truncated or corrupt: its audio stops at ${seconds(end)} of the ${seconds(expected.duration)} ` +
        `its header declares${reasonSuffix(errors)}`,
    );
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UnreadableAudio('The path is a folder, not an audio file');
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileMissing(path);
    throw error;
  }
}

/** Files with no duration in their header: ffmpeg reads every packet (without decoding) to find the end. */
async function scanDuration(path: string, signal: AbortSignal): Promise<number> {
  const run = await runInProcessGroup(
    ffmpegBinary(),
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-stats',
      '-i',
      path,
      '-map',
      '0:a:0',
      '-c',
      'copy',
      '-f',
      'null',
      '-',
    ],
    { signal, label: 'ffmpeg', timeoutMs: SCAN_TIMEOUT_MS },
  );
  const times = run.stderrTail.flatMap((line) => [...line.matchAll(/time=(\d+):(\d\d):(\d\d(?:\.\d+)?)/g)]);
  const last = times.at(-1);
  if (run.code !== 0 || !last) {
    const messages = run.stderrTail
      .filter((line) => !line.includes('time='))
      .map((l) => cleanMessage(l, path));
    throw new UnreadableAudio(`The audio could not be read to its end${reasonSuffix(messages)}`);
  }
  return hms(last[1], last[2], last[3]);
}

/**
 * A wav's header says how many bytes of audio follow. ffmpeg happily plays
 * what is there, so a cut-short wav is caught here. Streaming recorders write
 * 0 or 0xFFFFFFFF while recording; those sizes mean "unknown" and are allowed.
 */
async function rejectTruncatedWav(path: string, size: number): Promise<void> {
  const header = await readStart(path, 4096);
  if (header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') return;
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= header.length) {
    const id = header.toString('ascii', offset, offset + 4);
    const length = header.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 16 <= header.length) byteRate = header.readUInt32LE(offset + 16);
    if (id === 'data') {
      const present = size - (offset + 8);
      if (length === 0 || length === 0xffffffff || present >= length || byteRate === 0) return;
      throw new UnreadableAudio(
        `The file is truncated: its header declares ${seconds(length / byteRate)} of audio ` +
          `but it holds only ${seconds(Math.max(0, present) / byteRate)}`,
      );
    }
    offset += 8 + length + (length % 2);
  }
}

async function readStart(path: string, bytes: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    // Without this, a file Hark may not read failed as an `internal` error, retried twice for
    // nothing, with only the raw EACCES to go on (found by tests/badAudioPermissions.test.ts).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UnreadableAudio(
        'Hark is not allowed to read the file (permission denied): give it read access, then retry',
        error,
      );
    }
    throw error;
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function unrecognisedFile(path: string, messages: readonly string[]): Promise<UnreadableAudio> {
  if (messages.some((message) => message.includes('moov atom not found'))) {
    return new UnreadableAudio(
      'The file is truncated or incomplete: it has no index (moov atom not found), as happens when an ' +
        'MP4/M4A recording is cut off before it is finished',
    );
  }
  if (looksLikeText(await readStart(path, 512))) {
    return new UnreadableAudio(`The file is text, not audio${reasonSuffix(messages)}`);
  }
  return new UnreadableAudio(`The file is not audio that can be decoded${reasonSuffix(messages)}`);
}

/** Printable UTF-8 with no control bytes: a note, a log, JSON or HTML saved under an audio name. */
function looksLikeText(start: Buffer): boolean {
  if (start.length === 0) return false;
  for (const byte of start) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) return false;
  }
  // A multi-byte character cut at the end of the sample decodes as one replacement character.
  return (start.toString('utf8').match(/\uFFFD/g)?.length ?? 0) <= 1;
}

/** ffmpeg's message without the file name and the `[mp3 @ 0x55d…]` component prefix. */
function cleanMessage(line: string, path: string): string {
  let message = line.trim();
  if (message.startsWith(`${path}: `)) message = message.slice(path.length + 2);
  message = message.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/, '');
  if (message === 'At least one output file must be specified') return '';
  return message.replace(/\.$/, '');
}

function reasonSuffix(messages: readonly string[]): string {
  const reason = messages
    .filter((message) => message.length > 0)
    .slice(0, 3)
    .join('; ');
  return reason ? ` (ffmpeg: ${reason.slice(0, 300)})` : '';
}

function hms(hours: string | undefined, minutes: string | undefined, secs: string | undefined): number {
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(secs);
}

function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}
