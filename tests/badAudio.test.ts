/**
 * Issue 6: "nothing is lost and nothing is done twice", tried on the
 * bad-audio corpus (scripts/make-bad-audio.ts). A real Hark with the
 * pocketsphinx engine scans the corpus's notes folder, and every case must
 * end as the right transcript or as a failure that says exactly what is
 * wrong, with the worker going on to the next file. The 3-hour file is in
 * badAudioLong.test.ts, the unreadable folder and file (which need a user
 * other than root) in badAudioPermissions.test.ts.
 */
import { type Dirent, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseName, type Corpus, makeBadAudio } from '../scripts/make-bad-audio.js';
import { isAudioFileName } from '../src/core/orphans.js';
import type { Task } from '../src/core/types.js';
import { decodeAll } from './helpers/audioFiles.js';
import { type HarkOn, pocketsphinxEngine, startHarkOn } from './helpers/harkOn.js';
import { wordErrorRate } from './helpers/speech.js';
import { suiteDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

const record = (line: string) => console.info(`[bad-audio] ${line}`);
const fixtures = suiteDir('hark-bad-audio-');
let corpus: Corpus;

beforeAll(() => {
  corpus = makeBadAudio(fixtures.path, { long: false });
}, 60_000);
afterAll(() => fixtures.remove());

const pathOf = (name: CaseName) => {
  const found = corpus.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
};

/** What a case must end as. */
type Expected =
  | { failed: string; message: RegExp }
  | { noSpeech: true; seconds: number }
  | { words: string; maxWer: number; seconds?: number }
  /** Decoded and transcribed, but pocketsphinx has no model for telephone audio: WER is only recorded. */
  | { narrowband: true; seconds: number };

describe('the bad-audio corpus, transcribed by a real Hark with pocketsphinx', () => {
  let hark: HarkOn;
  let tasks: Task[];

  beforeAll(async () => {
    // As `hark start` runs it, watching the folder; a short settle time for the file dated ahead.
    hark = await startHarkOn(corpus.notes, join(fixtures.path, 'data'), {
      engine: pocketsphinxEngine(),
      paused: true,
      watch: true,
      settleMs: 1_000,
    });
    // Unsettled by its date at the first scan, it is queued by the watcher's look once it has stayed the same.
    await eventually(() => hark.task(pathOf('future-mtime').path), 'the file dated ahead to be queued');
    // Queued, not yet run: now one file goes and one is replaced by other audio.
    unlinkSync(join(corpus.notes, pathOf('to-delete').path));
    const replaced = join(corpus.notes, pathOf('to-replace').path);
    writeFileSync(`${replaced}.new`, readFileSync(corpus.spare.replacement.path));
    renameSync(`${replaced}.new`, replaced);
    const started = performance.now();
    await hark.app.queue.resume();
    await eventually(
      async () => {
        const counts = await hark.app.services.queue.getCounts();
        return counts.pending + counts.processing === 0;
      },
      'every task to end',
      { timeoutMs: 150_000, intervalMs: 200 },
    );
    tasks = await hark.allTasks();
    record(`${tasks.length} tasks ran in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);
  afterAll(() => hark?.app.stop());

  const seconds = (name: CaseName) => async () =>
    (await decodeAll(join(corpus.notes, pathOf(name).path))).length / 16_000;
  const cases: [CaseName, () => Promise<Expected>][] = [
    ['empty', async () => ({ failed: 'unreadable_audio', message: /^The file is empty \(0 bytes\)$/ })],
    [
      'truncated-wav',
      async () => ({
        failed: 'unreadable_audio',
        message: /^The file is truncated: its header declares 2\.\d s of audio but it holds only 1\.\d s$/,
      }),
    ],
    [
      'truncated-mp3',
      async () => ({
        failed: 'unreadable_audio',
        message:
          /^The file is truncated or corrupt: its audio stops at 1\.\d s of the 3\.\d s its header declares/,
      }),
    ],
    [
      'random-bytes',
      async () => ({
        failed: 'unreadable_audio',
        message:
          /^The file is not audio that can be decoded \(ffmpeg: Invalid data found when processing input/,
      }),
    ],
    ['text-as-mp3', async () => ({ failed: 'unreadable_audio', message: /^The file is text, not audio/ })],
    ['mp3-named-wav', async () => ({ words: pathOf('mp3-named-wav').spoken ?? '', maxWer: 0.3 })],
    ['silence-10-minutes', async () => ({ noSpeech: true, seconds: 600 })],
    ['noise', async () => ({ noSpeech: true, seconds: 90 })],
    ['narrowband-8k', async () => ({ narrowband: true, seconds: await seconds('narrowband-8k')() })],
    [
      'hi-res-6-channels',
      async () => ({
        words: pathOf('hi-res-6-channels').spoken ?? '',
        maxWer: 0.3,
        seconds: await seconds('hi-res-6-channels')(),
      }),
    ],
    ['odd-name', async () => ({ words: pathOf('odd-name').spoken ?? '', maxWer: 0.3 })],
    ['deep-path', async () => ({ words: pathOf('deep-path').spoken ?? '', maxWer: 0.3 })],
    ['future-mtime', async () => ({ words: pathOf('future-mtime').spoken ?? '', maxWer: 0.3 })],
    [
      'to-delete',
      async () => ({
        failed: 'file_missing',
        message: /^The audio file no longer exists: to delete\.wav$/,
      }),
    ],
    [
      'to-replace',
      async () => ({
        words: corpus.spare.replacement.spoken,
        maxWer: 0.3,
        seconds: (await decodeAll(corpus.spare.replacement.path)).length / 16_000,
      }),
    ],
  ];

  it.each(cases)('%s ends as it must', async (name, expectation) => {
    const expected = await expectation();
    const { path, what } = pathOf(name);
    const task = tasks.find((t) => t.audioPath === path);
    const transcription = await hark.transcription(path);
    // Every file ran exactly once: none retried, none started over, none left behind.
    expect(task, `${what}: queued`).toMatchObject({ attempts: 1 });
    if ('failed' in expected) {
      expect(task).toMatchObject({ status: 'failed', errorKind: expected.failed });
      expect(task?.errorMessage).toMatch(expected.message);
      expect(transcription).toMatchObject({ status: 'failed', errorKind: expected.failed });
      record(`${name} (${what}): failed, ${expected.failed}: ${task?.errorMessage}`);
      return;
    }
    expect(task).toMatchObject({ status: 'completed', errorKind: null });
    if ('noSpeech' in expected) {
      expect(transcription).toMatchObject({ status: 'no_speech', text: '' });
      expect(transcription?.duration).toBeCloseTo(expected.seconds, 0);
      record(`${name} (${what}): no_speech, ${transcription?.duration} s`);
      return;
    }
    expect(transcription?.status).toBe('complete');
    const text = transcription?.text ?? '';
    if ('narrowband' in expected) {
      const wer = wordErrorRate(pathOf(name).spoken ?? '', text);
      expect(text.length).toBeGreaterThan(0);
      expect(transcription?.duration).toBeCloseTo(expected.seconds, 1);
      record(`${name} (${what}): complete, WER ${(wer * 100).toFixed(0)} % not judged ("${text}")`);
      return;
    }
    const wer = wordErrorRate(expected.words, text);
    record(`${name} (${what}): complete, WER ${(wer * 100).toFixed(0)} % ("${text}")`);
    expect(wer).toBeLessThanOrEqual(expected.maxWer);
    if (expected.seconds !== undefined) expect(transcription?.duration).toBeCloseTo(expected.seconds, 1);
    // The transcript is also written beside the audio, whatever the name and depth.
    expect(readFileSync(join(corpus.notes, transcription?.sidecarPath ?? 'none'), 'utf8').trim()).toBe(text);
  });

  it('loses no file: each is queued once, or reported and logged with the reason it was not', () => {
    const scan = hark.firstScan;
    expect(scan.skippedLinks.sort()).toEqual(['circle/back', 'loop-a.wav', 'loop-b.wav', 'outside link.wav']);
    // Root reads every folder (badAudioPermissions.test.ts scans as another user).
    expect(scan.unreadable).toEqual(process.getuid?.() === 0 ? [] : ['locked']);
    const twins = [pathOf('unicode-twin-composed').path, pathOf('unicode-twin-decomposed').path];
    const [twinSkipped] = scan.skippedFiles.filter((path) => twins.includes(path));
    expect(scan.skippedFiles.sort()).toEqual([pathOf('latin1-name').path, twinSkipped].sort());
    expect(hark.logs).toContain(
      `skipped ${pathOf('latin1-name').path}: its name is not valid UTF-8; rename it to have it transcribed`,
    );
    expect(hark.logs.some((line) => line.startsWith(`skipped ${twinSkipped}: its name differs from `))).toBe(
      true,
    );
    // Every audio file there was when Hark scanned (what is there now, and the file deleted since)
    // has a task, or is one of the two reported.
    const scanned = [...audioFilesUnder(corpus.notes), pathOf('to-delete').path];
    const queued = scanned.filter((path) => !scan.skippedFiles.includes(path));
    expect(tasks.map((t) => t.audioPath).sort()).toEqual(queued.sort());
    // The file dated ahead waited for the watcher; the rest were queued by the first scan.
    expect(scan).toMatchObject({ audioFiles: scanned.length, queued: queued.length - 1, unsettled: 1 });
    // Nothing was transcribed outside the notes folder, and nothing written there.
    expect(readdirSync(corpus.outside)).toEqual(['secret.wav']);
  });

  it('transcribes the one of two names differing only in Unicode normalisation it took, with its own words', async () => {
    const [kept] = [pathOf('unicode-twin-composed'), pathOf('unicode-twin-decomposed')].filter(
      (c) => !hark.firstScan.skippedFiles.includes(c.path),
    );
    const transcription = await hark.transcription(kept?.path ?? '');
    expect(transcription?.audioPath).toBe(kept?.path);
    expect(wordErrorRate(kept?.spoken ?? '', transcription?.text ?? '')).toBeLessThanOrEqual(0.3);
    record(
      `unicode twins: took ${JSON.stringify(kept?.path)}, reported the other ("${transcription?.text}")`,
    );
  });

  it('ends every task, and the worker went on past each failure to the files queued after it', () => {
    expect(tasks.every((t) => t.status === 'completed' || t.status === 'failed')).toBe(true);
    const order = [...tasks].sort((a, b) => (a.completedAt ?? 0) - (b.completedAt ?? 0));
    const firstFailure = order.findIndex((t) => t.status === 'failed');
    expect(firstFailure).toBeGreaterThanOrEqual(0);
    // Failures are not all at the end: work went on after them.
    expect(order.slice(firstFailure + 1).filter((t) => t.status === 'completed').length).toBeGreaterThan(1);
    record(`order: ${order.map((t) => `${t.audioPath.slice(0, 20)}=${t.status}`).join(', ')}`);
  });

  it('the locked folder (readable by root) and its file were not lost either', async () => {
    const path = pathOf('locked-folder').path;
    if (process.getuid?.() !== 0) {
      expect(await hark.task(path)).toBeUndefined();
      return;
    }
    const transcription = await hark.transcription(path);
    expect(transcription?.status).toBe('complete');
    expect(
      wordErrorRate(pathOf('locked-folder').spoken ?? '', transcription?.text ?? ''),
    ).toBeLessThanOrEqual(0.3);
  });
});

/** Every regular audio file under `dir`, found without Hark and without following links. */
function audioFilesUnder(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EACCES') return []; // the locked folder, unless root
    throw error;
  }
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...audioFilesUnder(dir, path));
    else if (entry.isFile() && isAudioFileName(entry.name)) found.push(path);
  }
  return found;
}
