/**
 * Issue 6, files that change under a running Hark (pocketsphinx engine):
 * one still being written while the scan runs, and one replaced by other
 * audio while it is being transcribed. Neither may be lost, transcribed in
 * part, or keep the words of audio that is no longer there.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type Corpus, makeBadAudio } from '../scripts/make-bad-audio.js';
import type { Task } from '../src/core/types.js';
import type { ScanResult } from '../src/queue/scanner.js';
import { requireFfmpeg } from '../src/transcription/ffmpegPath.js';
import { decodeAll } from './helpers/audioFiles.js';
import { pocketsphinxEngine, startHarkOn } from './helpers/harkOn.js';
import { exited, spawnTracked } from './helpers/processes.js';
import { wordErrorRate } from './helpers/speech.js';
import { suiteDir, tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

const record = (line: string) => console.info(`[bad-audio] ${line}`);
const fixtures = suiteDir('hark-bad-audio-changes-');
let corpus: Corpus;

beforeAll(() => {
  corpus = makeBadAudio(fixtures.path, { long: false });
}, 60_000);
afterAll(() => fixtures.remove());

async function harkOnEmptyFolder(options: { windowSeconds?: number; watch?: boolean; paused?: boolean }) {
  const dir = tempDir();
  const notes = join(dir, 'notes');
  mkdirSync(notes);
  const hark = await startHarkOn(notes, join(dir, 'data'), {
    engine: pocketsphinxEngine(options.windowSeconds),
    watch: options.watch ?? false,
    paused: options.paused ?? false,
    settleMs: 1_500,
  });
  onTestFinished(() => hark.app.stop());
  return { notes, hark };
}

const ended = (task: Task) => task.status === 'completed' || task.status === 'failed';

describe('files that change under a running Hark', () => {
  it('leaves a file alone while it grows during scans, then transcribes it whole, once', async () => {
    const { notes, hark } = await harkOnEmptyFolder({ watch: true });
    const done = hark.app.services.events.waitFor(
      'task-update',
      (t) => t.audioPath === 'growing.wav' && ended(t),
    );
    const target = join(notes, 'growing.wav');
    // ffmpeg writes the speech at the pace of speech (-re), as a recorder does: header, then data,
    // flushed packet by packet. (Left to buffer, it writes nothing for the whole 3.3 s and then all
    // at once: a writer that stalls longer than the settle time looks finished. See the report.)
    const writer = spawnTracked(requireFfmpeg(), [
      '-nostdin',
      '-loglevel',
      'error',
      '-re',
      '-i',
      corpus.spare.growing.path,
      '-c:a',
      'pcm_s16le',
      '-flush_packets',
      '1',
      target,
    ]);
    const written = exited(writer);
    const scans: ScanResult[] = [];
    let seen = 0;
    // Scan twice while it grows: once it has begun, and again once it has grown since.
    for (let i = 0; i < 2; i++) {
      seen = await eventually(
        () => existsSync(target) && statSync(target).size > seen && statSync(target).size,
        'ffmpeg to write more of the file',
      );
      scans.push(await hark.app.services.scanner.scan());
    }
    const writerExit = await written;
    expect(writerExit.code, writerExit.stderr).toBe(0);
    for (const scan of scans) expect(scan).toMatchObject({ audioFiles: 1, queued: 0, unsettled: 1 });
    // Nobody scans by hand from here: the watcher takes it once it has settled.
    const task = await done;
    expect(task).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await hark.allTasks()).toHaveLength(1);
    const transcription = await hark.transcription('growing.wav');
    const seconds = (await decodeAll(corpus.spare.growing.path)).length / 16_000;
    expect(transcription?.duration).toBeCloseTo(seconds, 1);
    const wer = wordErrorRate(corpus.spare.growing.spoken, transcription?.text ?? '');
    record(
      `growing file: ${scans.length} scans while written saw it unsettled; then complete, WER ${(wer * 100).toFixed(0)} %`,
    );
    expect(wer).toBeLessThanOrEqual(0.3);
  }, 60_000);

  it('starts a file over when it is replaced while being transcribed, and ends with the new words', async () => {
    const { notes, hark } = await harkOnEmptyFolder({ windowSeconds: 4, paused: true });
    const path = join(notes, 'meeting notes.wav');
    // Queued (the scan below), then replaced after its first window is committed.
    const original = readFileSync(corpus.spare.threeSentences.path);
    writeFileSync(path, original);
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(path, minuteAgo, minuteAgo);
    expect((await hark.app.services.scanner.scan()).queued).toBe(1);
    const { events } = hark.app.services;
    const firstWindow = events.waitFor('task-update', (t) => t.checkpointSeconds > 0);
    // Starting over is the task going back to the queue mid-run, neither pre-empted nor failed.
    const startedOver = events.waitFor('task-update', (t) => t.status === 'pending');
    const done = events.waitFor('task-update', ended);
    await hark.app.queue.resume();
    await firstWindow;
    writeFileSync(`${path}.new`, readFileSync(corpus.spare.replacement.path));
    renameSync(`${path}.new`, path);
    expect(await startedOver).toMatchObject({ preemptedCount: 0, attempts: 0, errorKind: null });
    const task = await done;
    expect(task).toMatchObject({ status: 'completed', attempts: 1, preemptedCount: 0, errorKind: null });
    const transcription = await hark.transcription('meeting notes.wav');
    const text = transcription?.text ?? '';
    const wer = wordErrorRate(corpus.spare.replacement.spoken, text);
    record(`replaced mid-run: complete, WER ${(wer * 100).toFixed(0)} % against the new audio ("${text}")`);
    expect(wer).toBeLessThanOrEqual(0.3);
    // None of the old audio's words made it in: its first sentence was heard before the swap.
    expect(text).not.toMatch(/\bfox\b|\bdog\b/);
    expect(transcription?.duration).toBeCloseTo(
      (await decodeAll(corpus.spare.replacement.path)).length / 16_000,
      1,
    );
    expect(readFileSync(join(notes, 'meeting notes.txt'), 'utf8').trim()).toBe(text);
  }, 60_000);
});
