/**
 * Transcription benchmarks (issue 3), against baselines in the same run:
 *   npx tsx bench/transcription.ts [rtf] [pipeline] [rss]   (default: all)
 * - real-time factor of each engine on this machine;
 * - Hark's whole pipeline (scan, queue, decode, engine, commit) over 20 files
 *   against the same engine run directly on the same files;
 * - peak memory while transcribing a 60-minute file against a 1-minute one.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveConfig } from '../src/app/config.js';
import { HarkApp } from '../src/app/harkApp.js';
import { silentLog } from '../src/app/log.js';
import type { TranscriptionEngine } from '../src/core/engine.js';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { requireFfmpeg } from '../src/transcription/ffmpegPath.js';
import { PocketsphinxRecognizer } from '../src/transcription/pocketsphinx.js';
import { WhisperRecognizer } from '../src/transcription/whisper/whisperRecognizer.js';
import { concatenate, convert, SENTENCES, speak } from '../tests/helpers/speech.js';
import { writeGgmlModel } from '../tests/helpers/whisperModel/ggmlModel.js';
import { machine, median, printTable, type Row, scratch, time } from './lib.js';

const execFileAsync = promisify(execFile);
const dir = scratch('hark-bench-transcription-');
const file = (name: string) => join(dir.path, name);
const signal = () => new AbortController().signal;

const sentences = SENTENCES.map((text, i) => speak(text, file(`s${i}.wav`)));
const twoMinutes = concatenate(
  [...sentences, ...sentences, ...sentences, ...sentences],
  file('two-minutes.wav'),
  0.8,
);

async function realTimeFactor(
  engine: TranscriptionEngine,
  path: string,
): Promise<{ rtf: number; seconds: number }> {
  let audio = 0;
  const seconds =
    (await time(async () => {
      audio = (await engine.transcribe(path, { signal: signal() })).duration;
    })) / 1000;
  await engine.dispose();
  return { rtf: seconds / audio, seconds: audio };
}

async function rtf(): Promise<Row[]> {
  const rows: Row[] = [];
  const sphinx = await realTimeFactor(new ChunkedEngine(new PocketsphinxRecognizer()), twoMinutes);
  rows.push({
    benchmark: `pocketsphinx real-time factor (${sphinx.seconds.toFixed(0)} s of flite speech)`,
    hark: `${sphinx.rtf.toFixed(3)} (${(1 / sphinx.rtf).toFixed(1)}× real time)`,
    baseline: 'real time = 1',
    ratio: '',
    target: 'reported',
    met: true,
  });
  for (const preset of ['tiny', 'base'] as const) {
    const model = writeGgmlModel(file(`ggml-${preset}.en.bin`), { preset });
    const result = await realTimeFactor(
      new ChunkedEngine(new WhisperRecognizer({ modelPath: model })),
      twoMinutes,
    );
    rows.push({
      benchmark: `whisper.cpp real-time factor, ${preset}.en-sized synthetic model`,
      hark: `${result.rtf.toFixed(3)} (${(1 / result.rtf).toFixed(1)}× real time)`,
      baseline: 'real time = 1',
      ratio: '',
      target: 'reported (compute of a real model of this size; words are noise)',
      met: true,
    });
  }
  return rows;
}

async function pipeline(): Promise<Row> {
  // 20 files of 2–4 sentences in mixed formats.
  const formats = ['wav', 'mp3', 'm4a', 'ogg', 'flac'];
  const files = Array.from({ length: 20 }, (_, i) => {
    const parts = [0, 1, 2, 3]
      .slice(0, 2 + (i % 3))
      .map((k) => sentences[(i + k) % sentences.length] as string);
    const wav = concatenate(parts, file(`p${i}.wav`));
    return formats[i % formats.length] === 'wav'
      ? wav
      : convert(wav, file(`p${i}.${formats[i % formats.length]}`));
  });
  const engine = () => new ChunkedEngine(new PocketsphinxRecognizer());

  const direct = async () =>
    time(async () => {
      const e = engine();
      for (const path of files) await e.transcribe(path, { signal: signal() });
      await e.dispose();
    });
  const hark = async (round: number) => {
    const notes = file(`notes${round}`);
    mkdirSync(notes, { recursive: true });
    const minuteAgo = Date.now() / 1000 - 60;
    for (const path of files) {
      const copy = join(notes, path.slice(path.lastIndexOf('/') + 1));
      copyFileSync(path, copy);
      utimesSync(copy, minuteAgo, minuteAgo);
    }
    return time(async () => {
      const app = await HarkApp.start(resolveConfig({ notes, data: file(`data${round}`), port: '0' }, {}), {
        log: silentLog,
        serve: false,
        watch: false,
        engine: engine(),
      });
      const idle = app.worker?.nextIdle();
      app.worker?.wake();
      await idle;
      const counts = await app.services.queue.getCounts();
      if (counts.completed !== files.length)
        throw new Error(`only ${counts.completed} of ${files.length} completed`);
      await app.stop();
    });
  };
  // Alternate the two, so a change in the machine's load falls on both.
  const directTimes: number[] = [];
  const harkTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    directTimes.push(await direct());
    harkTimes.push(await hark(round));
  }
  const ratio = median(harkTimes) / median(directTimes);
  return {
    benchmark: '20 files through Hark (scan, queue, decode, engine, commit, sidecar), pocketsphinx',
    hark: `${(median(harkTimes) / 1000).toFixed(1)} s (median of 3)`,
    baseline: `${(median(directTimes) / 1000).toFixed(1)} s the engine called directly on the same files`,
    ratio: `${ratio.toFixed(3)}×`,
    target: '≤ 1.05×',
    met: ratio <= 1.05,
  };
}

async function rss(): Promise<Row[]> {
  // One minute of speech, and sixty of them in one file, both compressed as a phone would.
  const oneMinute = concatenate([...sentences, ...sentences], file('one-minute.wav'), 0.9);
  const short = convert(oneMinute, file('one-minute.opus'));
  const long = file('sixty-minutes.opus');
  await execFileAsync(requireFfmpeg(), [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-stream_loop',
    '59',
    '-i',
    oneMinute,
    '-c:a',
    'libopus',
    '-b:a',
    '24k',
    long,
  ]);
  const model = writeGgmlModel(file('ggml-probe.en.bin'), { preset: 'test' });
  const probe = async (path: string, engine: string) =>
    JSON.parse(
      (
        await execFileAsync(process.execPath, ['--import', 'tsx', 'bench/rssProbe.ts', path, engine], {
          maxBuffer: 1 << 24,
        })
      ).stdout,
    ) as { seconds: number; audioSeconds: number; peakRssBytes: number; hostPeakRssBytes: number };
  const rows: Row[] = [];
  for (const [engine, label] of [
    [`whisper:${model}`, 'whisper (small synthetic model)'],
    ['pocketsphinx', 'pocketsphinx'],
  ] as const) {
    if (engine === 'pocketsphinx' && !process.argv.includes('--long-sphinx')) continue; // 18 minutes of work
    const a = await probe(short, engine);
    const b = await probe(long, engine);
    const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
    rows.push({
      benchmark: `peak RSS, ${label}: ${Math.round(b.audioSeconds / 60)}-minute file vs ${Math.round(a.audioSeconds / 60)}-minute file`,
      hark: `${mb(b.peakRssBytes)}${b.hostPeakRssBytes ? ` (+ host ${mb(b.hostPeakRssBytes)})` : ''}, ${b.seconds.toFixed(0)} s`,
      baseline: `${mb(a.peakRssBytes)}${a.hostPeakRssBytes ? ` (+ host ${mb(a.hostPeakRssBytes)})` : ''}, ${a.seconds.toFixed(0)} s`,
      ratio: `${(b.peakRssBytes / a.peakRssBytes).toFixed(2)}×`,
      target: '≤ 1.2×',
      met: b.peakRssBytes / a.peakRssBytes <= 1.2,
    });
  }
  return rows;
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const run = (name: string) => wanted.length === 0 || wanted.includes(name);
const rows: Row[] = [];
try {
  if (run('rtf')) rows.push(...(await rtf()));
  if (run('pipeline')) rows.push(await pipeline());
  if (run('rss')) rows.push(...(await rss()));
} finally {
  dir.remove();
}
printTable('Transcription benchmarks', rows);
console.log(`\n(${machine()})`);
