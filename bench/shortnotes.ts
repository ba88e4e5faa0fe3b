/**
 * Short notes (issue 14): what a second of audio costs in a short note (5–15 s)
 * against a long file, with whisper's full 30-second encoder pass ('full'),
 * with the encoder context fitted to the window ('fit', Hark's default), and
 * with several notes packed into one 30-second window (an estimate: the notes'
 * samples laid end to end with a second of silence between, one window each).
 *
 *   npx tsx bench/shortnotes.ts [notes] [long files] [minutes each] [threads]   (default 30 2 3 2)
 *
 * A synthetic model of base.en's shape (its compute is real; its words are
 * noise). The modes alternate note by note, so the machine's load falls on all
 * of them alike; the load average is printed beside the figures.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { decodePcm, probeAudio } from '../src/transcription/ffmpeg.js';
import { SAMPLE_RATE } from '../src/transcription/recognizer.js';
import { WhisperRecognizer } from '../src/transcription/whisper/whisperRecognizer.js';
import { writeGgmlModel } from '../tests/helpers/whisperModel/ggmlModel.js';
import { machine } from './lib.js';
import { longFiles, type NoteFile, shortNotes } from './noteSet.js';

const [noteCount = 30, longCount = 2, minutes = 3, threads = 2] = process.argv.slice(2).map(Number);
const cache = join(import.meta.dirname, '.cache', 'notes');
const modelPath = join(import.meta.dirname, '.cache', 'ggml-base.en.bin');
mkdirSync(join(import.meta.dirname, '.cache'), { recursive: true });
if (!existsSync(modelPath)) writeGgmlModel(modelPath, { preset: 'base' });

const signal = () => new AbortController().signal;
const loads: number[] = [];
const sampleLoad = () => loads.push(loadavg()[0] ?? 0);

type Mode = 'full' | 'fit';
const recognizers = {
  full: new WhisperRecognizer({ modelPath, threads, audioContext: 'full' }),
  fit: new WhisperRecognizer({ modelPath, threads, audioContext: 'fit' }),
};
const engines = { full: new ChunkedEngine(recognizers.full), fit: new ChunkedEngine(recognizers.fit) };
await Promise.all([recognizers.full.prewarm(), recognizers.fit.prewarm()]);

interface Tally {
  seconds: number;
  audio: number;
  windows: number;
}
const tally = (): Tally => ({ seconds: 0, audio: 0, windows: 0 });
const results = {
  short: { full: tally(), fit: tally(), packed: tally() },
  long: { full: tally(), fit: tally() },
};

async function transcribe(mode: Mode, file: NoteFile, into: Tally): Promise<void> {
  let windows = 0;
  const count = () => windows++;
  recognizers[mode].on('window', count);
  const started = performance.now();
  const transcript = await engines[mode].transcribe(file.path, { signal: signal() });
  into.seconds += (performance.now() - started) / 1000;
  into.audio += transcript.duration;
  into.windows += windows;
  recognizers[mode].off('window', count);
  sampleLoad();
}

async function samplesOf(path: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const part of decodePcm(path, { signal: signal(), expected: await probeAudio(path) }))
    parts.push(part);
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Notes laid end to end, a second of silence between, in windows of at most 30 s. */
function pack(notes: Float32Array[]): Float32Array[] {
  const gap = SAMPLE_RATE;
  const limit = 30 * SAMPLE_RATE;
  const windows: Float32Array[][] = [[]];
  let length = 0;
  for (const note of notes) {
    if (length > 0 && length + gap + note.length > limit) {
      windows.push([]);
      length = 0;
    }
    windows.at(-1)?.push(...(length > 0 ? [new Float32Array(gap)] : []), note);
    length += (length > 0 ? gap : 0) + note.length;
  }
  return windows.map((parts) => {
    const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  });
}

const notes = shortNotes(cache, noteCount);
const long = longFiles(cache, longCount, minutes);
const packedWindows = pack(await Promise.all(notes.map((note) => samplesOf(note.path))));
results.short.packed.audio = notes.reduce((sum, note) => sum + note.seconds, 0);

async function recognizePacked(window: Float32Array): Promise<void> {
  const started = performance.now();
  await recognizers.full.recognize(window, { signal: signal() });
  results.short.packed.seconds += (performance.now() - started) / 1000;
  results.short.packed.windows++;
  sampleLoad();
}

// Everything interleaved (a note in both modes, a packed window every packing's worth of notes, a
// long file spread evenly among them), so that a change in the machine's load falls on every row
// alike rather than on whichever phase ran at the time.
const longAt = (i: number) =>
  long.filter((_, k) => Math.floor(((k + 0.5) * notes.length) / long.length) === i);
const packedEvery = notes.length / Math.max(1, packedWindows.length);
let nextPacked = 0;
for (const [i, note] of notes.entries()) {
  // Alternate which mode goes first, so neither always follows the other.
  const order: Mode[] = i % 2 ? ['fit', 'full'] : ['full', 'fit'];
  for (const mode of order) await transcribe(mode, note, results.short[mode]);
  while (nextPacked < packedWindows.length && (nextPacked + 1) * packedEvery <= i + 1) {
    const window = packedWindows[nextPacked++];
    if (window) await recognizePacked(window);
  }
  for (const file of longAt(i))
    for (const mode of ['full', 'fit'] as const) await transcribe(mode, file, results.long[mode]);
}
sampleLoad();
await Promise.all([recognizers.full.dispose(), recognizers.fit.dispose()]);

const perSecond = (t: Tally) => t.seconds / t.audio;
const longFull = perSecond(results.long.full);
const row = (label: string, t: Tally, against: number) =>
  `| ${label} | ${t.audio.toFixed(0)} s | ${t.windows} | ${t.seconds.toFixed(1)} s | ${perSecond(t).toFixed(3)} | ${(perSecond(t) / against).toFixed(2)}× |`;
console.log(`\n## Short notes: cost per second of audio (threads ${threads})\n\nMachine: ${machine()}\n`);
console.log('| what | audio | windows | wall time | s per s of audio | vs long files (full) |');
console.log('|---|---|---|---|---|---|');
console.log(row(`${noteCount} short notes (5–15 s), full 30 s encoder`, results.short.full, longFull));
console.log(row(`${noteCount} short notes, encoder fitted (Hark's default)`, results.short.fit, longFull));
console.log(
  row(
    `${noteCount} short notes packed into 30 s windows (estimate, no split)`,
    results.short.packed,
    longFull,
  ),
);
console.log(row(`${longCount} long files (${minutes} min), full encoder`, results.long.full, longFull));
console.log(row(`${longCount} long files, encoder fitted`, results.long.fit, longFull));
console.log(
  `\nfit short vs fit long: ${(perSecond(results.short.fit) / perSecond(results.long.fit)).toFixed(2)}×; load average during the run: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} (1 min)`,
);
