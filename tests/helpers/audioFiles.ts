import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { decodePcm } from '../../src/transcription/ffmpeg.js';
import { requireFfmpeg } from '../../src/transcription/ffmpegPath.js';
import { suiteDir } from './tmp.js';

/**
 * A folder for a test file's fixtures, created on first use: a file whose
 * tests are all filtered out (`-t`) runs no hooks, and so must create nothing.
 */
export function lazySuiteDir(prefix: string): { readonly path: string; remove(): void } {
  let created: ReturnType<typeof suiteDir> | undefined;
  return {
    get path() {
      created ??= suiteDir(prefix);
      return created.path;
    },
    remove() {
      created?.remove();
      created = undefined;
    },
  };
}

/** Keeps only the first `fraction` of the file's bytes, as a copy that stopped part way would. */
export function truncateFile(input: string, output: string, fraction: number): string {
  const bytes = readFileSync(input);
  writeFileSync(output, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return output;
}

/** Overwrites the file's first bytes (its header) with garbage. */
export function corruptHeader(input: string, output: string, bytes = 64): string {
  copyFileSync(input, output);
  const content = readFileSync(output);
  content.fill(0x5a, 0, Math.min(bytes, content.length));
  writeFileSync(output, content);
  return output;
}

/** Deterministic pseudo-random bytes (a linear congruential generator, so every run is the same). */
export function randomBytesFile(output: string, length: number, seed = 12345): string {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  writeFileSync(output, bytes);
  return output;
}

/**
 * Opus in webm written to a pipe, the way a browser's MediaRecorder writes
 * it: with no duration in the header.
 */
export function liveWebm(input: string, output: string): string {
  const webm = execFileSync(
    requireFfmpeg(),
    ['-nostdin', '-loglevel', 'error', '-i', input, '-c:a', 'libopus', '-f', 'webm', 'pipe:1'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(output, webm);
  return output;
}

/** A small PNG image, for "a file with no audio stream" (saved under an audio name). */
export function pngImage(output: string): string {
  execFileSync(
    requireFfmpeg(),
    [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=c=red:s=16x16',
      '-frames:v',
      '1',
      '-f',
      'image2',
      output,
    ],
    { stdio: 'ignore' },
  );
  return output;
}

/** Decodes a whole (short) file to 16 kHz mono samples, for tests that inspect them. */
export async function decodeAll(path: string, startAt = 0): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const part of decodePcm(path, { signal: new AbortController().signal, startAt }))
    parts.push(part);
  const samples = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  return samples;
}

/** Mixes two files (the first sets the length), the second `gainDb` louder or quieter. */
export function mixFiles(first: string, second: string, output: string, gainDb: number): string {
  execFileSync(
    requireFfmpeg(),
    [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-i',
      first,
      '-i',
      second,
      '-filter_complex',
      `[1:a]volume=${gainDb}dB[b];[0:a][b]amix=inputs=2:duration=first`,
      '-ar',
      '16000',
      '-ac',
      '1',
      output,
    ],
    { stdio: 'ignore' },
  );
  return output;
}
