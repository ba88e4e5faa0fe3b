/**
 * The audio the short-note benchmarks share: short voice notes of 5–15 s and
 * long files of several minutes, all flite speech (16 kHz mono WAV), made once
 * per folder. Lengths come from a seeded sequence, so every run and every tool
 * hears the same files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requireFfmpeg } from '../src/transcription/ffmpegPath.js';
import { concatenate, SENTENCES, speak } from '../tests/helpers/speech.js';

export interface NoteFile {
  path: string;
  seconds: number;
}

/** A deterministic sequence in 0..1 (a small LCG): the same lengths every run. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function ffmpeg(args: string[]): void {
  execFileSync(requireFfmpeg(), ['-nostdin', '-loglevel', 'error', '-y', ...args], { stdio: 'ignore' });
}

/** Two minutes of the known sentences, spoken in turn: the material every file is cut from. */
function material(dir: string): string {
  const out = join(dir, 'material.wav');
  if (existsSync(out)) return out;
  const spoken = SENTENCES.map((text, i) => speak(text, join(dir, `sentence${i}.wav`)));
  return concatenate([...spoken, ...spoken, ...spoken, ...spoken], out, 0.8);
}

/** `count` notes of 5–15 s, each cut from the material at its own offset. */
export function shortNotes(dir: string, count: number): NoteFile[] {
  mkdirSync(dir, { recursive: true });
  const source = material(dir);
  const next = sequence(14);
  return Array.from({ length: count }, (_, i) => {
    const seconds = Math.round((5 + 10 * next()) * 10) / 10;
    const offset = Math.round(next() * 90 * 10) / 10;
    const path = join(dir, `note${String(i).padStart(2, '0')}.wav`);
    if (!existsSync(path) || statSync(path).size === 0)
      ffmpeg(['-ss', String(offset), '-t', String(seconds), '-i', source, '-ar', '16000', '-ac', '1', path]);
    return { path, seconds };
  });
}

/** `count` files of `minutes` each: the material looped. */
/**
 * `count` long files of `minutes` each, or, for a range such as "5-20", spread evenly over it
 * (5 files of 5–20 min: 5, 8.75, 12.5, 16.25 and 20 minutes).
 */
export function longFiles(dir: string, count: number, minutes: number | string): NoteFile[] {
  mkdirSync(dir, { recursive: true });
  const source = material(dir);
  const [low = 5, high = low] = String(minutes).split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const length = count > 1 ? low + ((high - low) * i) / (count - 1) : low;
    const seconds = Math.round(length * 60);
    const path = join(dir, `long${i}-${seconds}s.wav`);
    if (!existsSync(path) || statSync(path).size === 0)
      ffmpeg([
        '-stream_loop',
        '-1',
        '-ss',
        String(i * 7),
        '-i',
        source,
        '-t',
        String(seconds),
        '-ar',
        '16000',
        '-ac',
        '1',
        path,
      ]);
    // ffmpeg's -ss on a looped input adds a few seconds past -t, so the file says how long it is
    // (16-bit mono at 16 kHz after a 78-byte header), not the length asked for.
    return { path, seconds: (statSync(path).size - 78) / (2 * 16_000) };
  });
}
