/**
 * One pocketsphinx process per task instead of one per window, measured (issue 14):
 *   npx tsx bench/pocketsphinxBatch.ts
 *
 * A 2-minute flite file cut into its 30-second windows; the windows heard (a) as today, one
 * `pocketsphinx_continuous` per window, and (b) all by one process, `pocketsphinx_batch` over a
 * list of the window files (one model load; each window still its own utterance, so its words
 * stay its own). Wall time and word error rate of each, alternating, median of 3.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireFfmpeg } from '../src/transcription/ffmpegPath.js';
import { DEBIAN_MODEL_DIR } from '../src/transcription/pocketsphinx.js';
import { concatenate, SENTENCES, speak, wordErrorRate } from '../tests/helpers/speech.js';
import { machine, median, scratch, time } from './lib.js';

const run = promisify(execFile);
const dir = scratch('hark-bench-sphinx-batch-');
const file = (name: string) => join(dir.path, name);
const MODEL = [
  '-hmm',
  join(DEBIAN_MODEL_DIR, 'en-us'),
  '-lm',
  join(DEBIAN_MODEL_DIR, 'en-us.lm.bin'),
  '-dict',
  join(DEBIAN_MODEL_DIR, 'cmudict-en-us.dict'),
];
const DITHER = ['-dither', 'yes', '-seed', '1'];

try {
  const spoken = SENTENCES.map((text, i) => speak(text, file(`s${i}.wav`)));
  const order = [0, 1, 2, 3].flatMap(() => SENTENCES.map((_, i) => i));
  const long = concatenate(
    order.map((i) => spoken[i] as string),
    file('long.wav'),
    0.8,
  );
  const reference = order.map((i) => SENTENCES[i]).join(' ');
  const { stdout } = await run(requireFfmpeg(), ['-hide_banner', '-i', long]).catch((e) => ({
    stdout: String(e.stderr),
  }));
  const match = /Duration: (\d+):(\d+):(\d+\.\d+)/.exec(stdout);
  const seconds = match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : 120;
  const windows: string[] = [];
  for (let start = 0, i = 0; start < seconds; start += 30, i++) {
    const out = file(`w${i}.wav`);
    await run(requireFfmpeg(), [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-ss',
      String(start),
      '-t',
      '30',
      '-i',
      long,
      '-ar',
      '16000',
      '-ac',
      '1',
      out,
    ]);
    windows.push(`w${i}`);
  }
  const perWindow = async () => {
    const texts: string[] = [];
    for (const w of windows) {
      const { stdout: out } = await run(
        'pocketsphinx_continuous',
        ['-infile', file(`${w}.wav`), '-logfn', '/dev/null', ...DITHER, ...MODEL],
        { maxBuffer: 1 << 24 },
      );
      texts.push(out.replace(/\s+/g, ' ').trim());
    }
    return texts.join(' ');
  };
  const oneProcess = async () => {
    writeFileSync(file('list.ctl'), `${windows.join('\n')}\n`);
    await run(
      'pocketsphinx_batch',
      [
        '-adcin',
        'yes',
        '-adchdr',
        '44',
        '-cepdir',
        dir.path,
        '-cepext',
        '.wav',
        '-ctl',
        file('list.ctl'),
        '-hyp',
        file('out.hyp'),
        '-logfn',
        '/dev/null',
        ...DITHER,
        ...MODEL,
      ],
      { maxBuffer: 1 << 24 },
    );
    return readFileSync(file('out.hyp'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/\s*\([^)]*\)\s*$/, '').trim())
      .join(' ');
  };
  const a: number[] = [];
  const b: number[] = [];
  let textA = '';
  let textB = '';
  const before = loadavg()[0] ?? 0;
  for (let i = 0; i < 3; i++) {
    a.push(await time(async () => (textA = await perWindow())));
    b.push(await time(async () => (textB = await oneProcess())));
  }
  console.log(
    `\n## pocketsphinx: one process per window vs one per task\n\nMachine: ${machine()}; load ${before.toFixed(1)} → ${loadavg()[0]?.toFixed(1)}\n`,
  );
  console.log('| how | wall time (median of 3) | WER |');
  console.log('|---|---|---|');
  console.log(
    `| ${windows.length} windows, one pocketsphinx_continuous each | ${(median(a) / 1000).toFixed(2)} s | ${(wordErrorRate(reference, textA) * 100).toFixed(1)} % |`,
  );
  console.log(
    `| the same windows, one pocketsphinx_batch | ${(median(b) / 1000).toFixed(2)} s (${(median(b) / median(a)).toFixed(2)}×) | ${(wordErrorRate(reference, textB) * 100).toFixed(1)} % |`,
  );
} finally {
  dir.remove();
}
