/**
 * Issue 6, the 3-hour file: `hark transcribe` (the CLI, as a child process,
 * with pocketsphinx) must hear all of it, and its memory must not grow with
 * the length of the file: its peak resident set is measured against the same
 * command on a 2-minute file built the same way (scripts/make-bad-audio.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, makeBadAudio, type SpareFile } from '../scripts/make-bad-audio.js';
import type { Transcript } from '../src/core/types.js';
import { descendants } from './helpers/childProcesses.js';
import { CLI, exited, ROOT, spawnTracked } from './helpers/processes.js';
import { wordErrorRate } from './helpers/speech.js';
import { suiteDir } from './helpers/tmp.js';

const PEAK_RSS_HOOK = fileURLToPath(new URL('./helpers/peakRss.ts', import.meta.url));
const record = (line: string) => console.info(`[bad-audio] ${line}`);
const fixtures = suiteDir('hark-bad-audio-long-');
let corpus: Corpus;

beforeAll(() => {
  corpus = makeBadAudio(fixtures.path);
}, 120_000);
afterAll(() => fixtures.remove());

interface Measured {
  transcript: Transcript;
  seconds: number;
  /** Peak resident set of the Hark process, kB (VmHWM, read as it exits). */
  peakKb: number;
  /** The largest peak seen of each of its child processes by command (ffmpeg, pocketsphinx), kB, sampled. */
  childPeaks: Map<string, number>;
}

/** Runs `hark transcribe <file> --json` and measures its memory. */
async function transcribeMeasured(file: SpareFile, name: string): Promise<Measured> {
  const peakFile = join(fixtures.path, `${name}.peak`);
  const started = performance.now();
  const child = spawnTracked(
    process.execPath,
    // tsx for the hook, which is TypeScript, whether the CLI is the build or the source.
    ['--import', 'tsx', '--import', PEAK_RSS_HOOK, CLI, 'transcribe', file.path, '--json'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        HARK_ENGINE: 'pocketsphinx',
        HARK_DATA_DIR: join(fixtures.path, 'data'),
        HARK_TEST_PEAK_RSS_FILE: peakFile,
      },
    },
  );
  const run = exited(child);
  // The children come and go (a pocketsphinx per window): their peaks can only be sampled.
  const childPeaks = new Map<string, number>();
  const sampler = setInterval(() => {
    for (const { pid, command } of descendants(child.pid)) {
      childPeaks.set(command, Math.max(childPeaks.get(command) ?? 0, peakOf(pid)));
    }
  }, 100);
  const { code, stdout, stderr } = await run.finally(() => clearInterval(sampler));
  expect(code, stderr).toBe(0);
  return {
    transcript: JSON.parse(stdout) as Transcript,
    seconds: (performance.now() - started) / 1000,
    peakKb: Number(readFileSync(peakFile, 'utf8')),
    childPeaks,
  };
}

function peakOf(pid: number): number {
  try {
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // gone
  }
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

describe('a 3-hour file', () => {
  it('is heard to its end, each sentence at its time, in the memory of a 2-minute file', async () => {
    const { threeHours, twoMinutes } = corpus.spare;
    if (!threeHours || !twoMinutes) throw new Error('the corpus was built without its long files');
    const short = await transcribeMeasured(twoMinutes, 'two-minutes');
    const long = await transcribeMeasured(threeHours, 'three-hours');
    const ratio = long.peakKb / short.peakKb;
    record(
      `peak RSS of hark transcribe: ${mb(long.peakKb)} for ${(long.transcript.duration / 3600).toFixed(2)} h ` +
        `(${long.seconds.toFixed(0)} s) against ${mb(short.peakKb)} for ${(short.transcript.duration / 60).toFixed(1)} min ` +
        `(${short.seconds.toFixed(0)} s): ${ratio.toFixed(2)}×`,
    );
    for (const [command, kb] of long.childPeaks) {
      record(
        `peak RSS of ${command}: ${mb(kb)} (3 h) against ${mb(short.childPeaks.get(command) ?? 0)} (2 min)`,
      );
    }
    // Really three hours, really all of it decoded.
    expect(long.transcript.duration).toBeGreaterThanOrEqual(3 * 3600);
    expect(short.transcript.duration).toBeGreaterThanOrEqual(120);
    const wer = wordErrorRate(threeHours.spoken, long.transcript.text);
    record(`3-hour file: WER ${(wer * 100).toFixed(0)} % ("${long.transcript.text}")`);
    expect(wer).toBeLessThanOrEqual(0.25);
    // The sentences open the first, the middle (minute 90) and the last minute; joining the minutes
    // adds a few hundredths of a second each, so the middle and the end lie up to 15 s later.
    const starts = long.transcript.segments.map((segment) => segment.start);
    for (const at of [0, 90 * 60, 179 * 60]) {
      expect(
        starts.some((start) => start >= at && start < at + 20),
        `speech at ${at} s`,
      ).toBe(true);
    }
    // Memory does not grow with duration: 90 times the audio, not even 1.5 times the memory.
    expect(ratio).toBeLessThanOrEqual(1.5);
    // Nor does the decoder's (streaming), nor the recogniser's (one window at a time).
    for (const command of ['ffmpeg', 'pocketsphinx_co']) {
      const kb = long.childPeaks.get(command) ?? 0;
      expect(kb, command).toBeGreaterThan(0);
      expect(kb, command).toBeLessThanOrEqual(
        Math.max((short.childPeaks.get(command) ?? 0) * 1.5, 64 * 1024),
      );
    }
  }, 300_000);
});
