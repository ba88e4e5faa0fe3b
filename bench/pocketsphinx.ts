/**
 * The offline fallback against the loop a user would write (issue 14):
 *   npx tsx bench/pocketsphinx.ts [--rounds 2] [--short 10]
 *
 * On the same files (flite kal16 speech as phone-style AAC .m4a: short notes of 6–12 s and one
 * two-minute file):
 * - the peer: for each file, `ffmpeg` to 16 kHz mono wav, then `pocketsphinx_continuous` on it,
 *   one file after another (the same ffmpeg and model Hark uses);
 * - Hark: `hark start`'s pipeline (scan, queue, decode, windows, pocketsphinx, commit, sidecar)
 *   with the single worker, and with `--parallel 2`.
 * Rounds alternate, so a change in the machine's load falls on all three; medians are reported,
 * with the word error rate of each against the spoken text.
 * Hark runs as it does by default (one pocketsphinx_continuous per window, a file's windows heard
 * side by side up to the cores); on the long file also one window at a time (windowsAtOnce 1, the
 * loop's one core) and with oneProcessPerTask (one pocketsphinx_batch per task), in the same rounds.
 * First, what one pocketsphinx process costs to start (its model load) against the work of a
 * 30-second window: the case for one process per task instead of one per window.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { HarkApp } from '../src/app/harkApp.js';
import { resolveConfig } from '../src/services/config.js';
import { silentLog } from '../src/services/log.js';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { requireFfmpeg } from '../src/transcription/ffmpegPath.js';
import { DEBIAN_MODEL_DIR, PocketsphinxRecognizer } from '../src/transcription/pocketsphinx.js';
import {
  concatenate,
  convert,
  SENTENCES,
  speak,
  synthesize,
  wordErrorRate,
} from '../tests/helpers/speech.js';
import { machine, median, printTable, type Row, scratch, time } from './lib.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '2' }, short: { type: 'string', default: '10' } },
});
const rounds = Number(values.rounds);
const shortCount = Number(values.short);
const run = promisify(execFile);
const dir = scratch('hark-bench-sphinx-');
const file = (name: string) => join(dir.path, name);
const MODEL = ['-hmm', join(DEBIAN_MODEL_DIR, 'en-us'), '-lm', join(DEBIAN_MODEL_DIR, 'en-us.lm.bin')];
const DICT = ['-dict', join(DEBIAN_MODEL_DIR, 'cmudict-en-us.dict')];

interface Note {
  path: string;
  text: string;
}

function library(): Note[] {
  const spoken = SENTENCES.map((text, i) => speak(text, file(`s${i}.wav`)));
  const notes: Note[] = [];
  for (let i = 0; i < shortCount; i++) {
    const picks = [i % 8, (i + 3) % 8];
    const wav = concatenate(
      picks.map((p) => spoken[p] as string),
      file(`note${i}.wav`),
      0.5,
    );
    notes.push({
      path: convert(wav, file(`in/note${i}.m4a`)),
      text: picks.map((p) => SENTENCES[p]).join(' '),
    });
  }
  const all = [0, 1, 2, 3].flatMap(() => SENTENCES.map((_, i) => i));
  const long = concatenate(
    all.map((i) => spoken[i] as string),
    file('long.wav'),
    0.8,
  );
  notes.push({ path: convert(long, file('in/long.m4a')), text: all.map((i) => SENTENCES[i]).join(' ') });
  return notes;
}

async function sphinx(wav: string): Promise<string> {
  const { stdout } = await run(
    'pocketsphinx_continuous',
    ['-infile', wav, '-logfn', '/dev/null', ...MODEL, ...DICT],
    {
      maxBuffer: 1 << 24,
    },
  );
  return stdout;
}

/** The loop a user would write: ffmpeg to 16 kHz, then pocketsphinx, file by file. */
async function peer(notes: Note[]): Promise<{ ms: number; texts: string[] }> {
  const texts: string[] = [];
  const ms = await time(async () => {
    for (const note of notes) {
      const wav = file(`peer-${basename(note.path)}.wav`);
      await run(requireFfmpeg(), [
        '-nostdin',
        '-loglevel',
        'error',
        '-y',
        '-i',
        note.path,
        '-ar',
        '16000',
        '-ac',
        '1',
        wav,
      ]);
      texts.push((await sphinx(wav)).replace(/\s+/g, ' ').trim());
    }
  });
  return { ms, texts };
}

let harkRound = 0;
async function hark(
  notes: Note[],
  parallel: number,
  how: { oneProcessPerTask?: boolean; windowsAtOnce?: number } = {},
): Promise<{ ms: number; texts: string[] }> {
  const round = harkRound++;
  const folder = file(`notes${round}`);
  mkdirSync(folder, { recursive: true });
  const minuteAgo = Date.now() / 1000 - 60;
  for (const note of notes) {
    const copy = join(folder, basename(note.path));
    copyFileSync(note.path, copy);
    utimesSync(copy, minuteAgo, minuteAgo);
  }
  const ms = await time(async () => {
    const config = resolveConfig(
      { notes: folder, data: file(`data${round}`), port: '0', parallel: String(parallel) },
      {},
    );
    const app = await HarkApp.start(config, {
      log: silentLog,
      serve: false,
      watch: false,
      engine: new ChunkedEngine(new PocketsphinxRecognizer({ oneProcessPerTask: how.oneProcessPerTask }), {
        ...(how.windowsAtOnce ? { windowsAtOnce: how.windowsAtOnce } : {}),
      }),
    });
    const idle = app.worker?.nextIdle();
    app.worker?.wake();
    await idle;
    const counts = await app.services.queue.getCounts();
    if (counts.completed !== notes.length)
      throw new Error(`only ${counts.completed} of ${notes.length} completed`);
    await app.stop();
  });
  const texts = notes.map((note) =>
    readFileSync(join(folder, basename(note.path).replace(/\.m4a$/, '.txt')), 'utf8').trim(),
  );
  return { ms, texts };
}

function wer(notes: Note[], texts: string[]): number {
  const reference = notes.map((n) => n.text).join(' ');
  return wordErrorRate(reference, texts.join(' '));
}

async function startupCost(): Promise<Row> {
  const blip = synthesize('anullsrc=r=16000:cl=mono', 0.25, file('blip.wav'), ['-ar', '16000', '-ac', '1']);
  const window = concatenate(
    SENTENCES.slice(0, 4).map((_, i) => file(`s${i}.wav`)),
    file('window30.wav'),
    3,
  );
  const empty: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < 3; i++) {
    empty.push(await time(() => sphinx(blip)));
    full.push(await time(() => sphinx(window)));
  }
  return {
    benchmark: 'one pocketsphinx process: start-up (0.25 s of silence) against a ~30 s speech window',
    hark: `${(median(empty) / 1000).toFixed(2)} s start-up`,
    baseline: `${(median(full) / 1000).toFixed(2)} s for the window`,
    ratio: `${((median(empty) / median(full)) * 100).toFixed(0)} %`,
    target: 'reported',
    met: true,
  };
}

const loadBefore = loadavg()[0] ?? 0;
const rows: Row[] = [];
try {
  const notes = library();
  const shorts = notes.slice(0, -1);
  const long = notes.slice(-1);
  rows.push(await startupCost());
  const results = { peer: [] as number[], p1: [] as number[], p2: [] as number[] };
  const wers = { peer: 0, p1: 0, p2: 0 };
  const longResults = {
    peer: [] as number[],
    p1: [] as number[],
    perWindow: [] as number[],
    oneByOne: [] as number[],
  };
  const longWers = { peer: 0, p1: 0, perWindow: 0, oneByOne: 0 };
  for (let r = 0; r < rounds; r++) {
    const a = await peer(shorts);
    const b = await hark(shorts, 1);
    const c = await hark(shorts, 2);
    results.peer.push(a.ms);
    results.p1.push(b.ms);
    results.p2.push(c.ms);
    wers.peer = wer(shorts, a.texts);
    wers.p1 = wer(shorts, b.texts);
    wers.p2 = wer(shorts, c.texts);
    const d = await peer(long);
    const e = await hark(long, 1, { oneProcessPerTask: true });
    const f = await hark(long, 1);
    const g = await hark(long, 1, { windowsAtOnce: 1 });
    longResults.peer.push(d.ms);
    longResults.p1.push(e.ms);
    longResults.perWindow.push(f.ms);
    longResults.oneByOne.push(g.ms);
    longWers.peer = wer(long, d.texts);
    longWers.p1 = wer(long, e.texts);
    longWers.perWindow = wer(long, f.texts);
    longWers.oneByOne = wer(long, g.texts);
    console.error(
      `round ${r + 1}: short peer ${a.ms.toFixed(0)} ms, hark ${b.ms.toFixed(0)}, hark --parallel 2 ${c.ms.toFixed(0)}; long peer ${d.ms.toFixed(0)} (WER ${longWers.peer.toFixed(3)}), hark ${f.ms.toFixed(0)} (WER ${longWers.perWindow.toFixed(3)}), hark one window at a time ${g.ms.toFixed(0)} (WER ${longWers.oneByOne.toFixed(3)}), hark one pocketsphinx_batch per task ${e.ms.toFixed(0)} (WER ${longWers.p1.toFixed(3)}); load ${loadavg()[0]?.toFixed(1)}`,
    );
  }
  const s = (ms: number[]) => `${(median(ms) / 1000).toFixed(1)} s`;
  const peerLabel = (ms: number[], w: number) =>
    `${s(ms)} ffmpeg + pocketsphinx_continuous, file by file (WER ${(w * 100).toFixed(1)} %)`;
  rows.push({
    benchmark: `${shorts.length} short notes (6–12 s, m4a), Hark single worker`,
    hark: `${s(results.p1)} (WER ${(wers.p1 * 100).toFixed(1)} %)`,
    baseline: peerLabel(results.peer, wers.peer),
    ratio: `${(median(results.p1) / median(results.peer)).toFixed(2)}×`,
    target: '≤ 1.0× (no slower)',
    met: median(results.p1) <= median(results.peer),
  });
  rows.push({
    benchmark: `${shorts.length} short notes (6–12 s, m4a), Hark --parallel 2`,
    hark: `${s(results.p2)} (WER ${(wers.p2 * 100).toFixed(1)} %)`,
    baseline: peerLabel(results.peer, wers.peer),
    ratio: `${(median(results.p2) / median(results.peer)).toFixed(2)}×`,
    target: '≤ 1.0× (no slower)',
    met: median(results.p2) <= median(results.peer),
  });
  const longPeer = `${s(longResults.peer)} ffmpeg + one pocketsphinx_continuous on the whole file (WER ${(longWers.peer * 100).toFixed(1)} %)`;
  const ratioTo = (ms: number[]) => `${(median(ms) / median(longResults.peer)).toFixed(2)}×`;
  rows.push({
    benchmark: `one 2-minute file (m4a), Hark by default (30 s windows, a pocketsphinx_continuous each, up to ${availableParallelism()} heard at once: the cores)`,
    hark: `${s(longResults.perWindow)} (WER ${(longWers.perWindow * 100).toFixed(1)} %)`,
    baseline: longPeer,
    ratio: ratioTo(longResults.perWindow),
    target: '≤ 1.0× (no slower)',
    met: median(longResults.perWindow) <= median(longResults.peer),
  });
  rows.push({
    benchmark: 'the same file, Hark hearing one window at a time (windowsAtOnce 1: one core, as the loop)',
    hark: `${s(longResults.oneByOne)} (WER ${(longWers.oneByOne * 100).toFixed(1)} %)`,
    baseline: longPeer,
    ratio: ratioTo(longResults.oneByOne),
    target: 'reported',
    met: true,
  });
  rows.push({
    benchmark:
      'the same file, Hark with one pocketsphinx_batch per task (opt-in: one process, its windows in turn)',
    hark: `${s(longResults.p1)} (WER ${(longWers.p1 * 100).toFixed(1)} %)`,
    baseline: longPeer,
    ratio: ratioTo(longResults.p1),
    target: 'reported',
    met: true,
  });
} finally {
  dir.remove();
}
printTable('pocketsphinx against the ffmpeg + pocketsphinx_continuous loop', rows);
console.log(
  `\n(${machine()}; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]?.toFixed(1)} after; ${rounds} rounds)`,
);
