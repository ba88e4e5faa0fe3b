import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_RATE } from './recognizer.js';

const HEADER_BYTES = 44;

/** Encodes float samples in -1..1 as a 16-bit PCM mono wav, the format every external recogniser reads. */
export function encodeWav(samples: Float32Array, sampleRate = SAMPLE_RATE): Buffer {
  const dataBytes = samples.length * 2;
  const wav = Buffer.alloc(HEADER_BYTES + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(HEADER_BYTES - 8 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    // The inverse of ffmpeg's s16 → float (x / 32768), so 16-bit audio passes through bit for bit.
    const value = Math.round((samples[i] ?? 0) * 0x8000);
    wav.writeInt16LE(Math.max(-0x8000, Math.min(0x7fff, value)), HEADER_BYTES + i * 2);
  }
  return wav;
}

/** Window folders are named after the process that made them, so that the leftovers of a dead one can be told apart. */
const WINDOW_FOLDER_PREFIX = 'hark-window-';

/** A fresh temporary folder for window files, removed by removeStaleWindowFolders if this process dies before it can. */
export function makeWindowFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), `${WINDOW_FOLDER_PREFIX}${process.pid}-`));
}

/**
 * Writes the window to `window.wav` in a fresh temporary folder, runs `use`
 * with the folder, and removes the folder afterwards whatever happens.
 */
export async function withWindowWav<T>(
  samples: Float32Array,
  use: (wavPath: string, folder: string) => Promise<T>,
): Promise<T> {
  const folder = await makeWindowFolder();
  try {
    const wavPath = join(folder, 'window.wav');
    await writeFile(wavPath, encodeWav(samples));
    return await use(wavPath, folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Whether process `pid` still runs (EPERM: it does, as another user's). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the window folders of Hark processes that no longer run: a killed
 * Hark never reaches its `finally`, and each kill would otherwise leave a
 * window's worth of audio in the temporary folder for good (the crash soak
 * counted them). Folders of a running Hark, this one or another, are left.
 */
export function removeStaleWindowFolders(dir = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const pid = Number(/^hark-window-(\d+)-/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
