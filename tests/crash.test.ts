import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { fakeAudio } from '../src/transcription/fakeEngine.js';
import { readEngineLog, waitForEngineLog } from './helpers/engineLog.js';
import { CLI, exited, spawnTs } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';

function setup(extraEnv: Record<string, string> = {}) {
  const dir = tempDir();
  const notes = join(dir, 'notes');
  const data = join(dir, 'data');
  mkdirSync(notes);
  const log = join(dir, 'engine.log');
  const env = { ...process.env, HARK_ENGINE_LOG: log, HARK_PORT: '0', ...extraEnv };
  const start = (...extra: string[]) =>
    spawnTs(CLI, ['start', '--notes', notes, '--data', data, '--engine', 'fake', '--no-watch', ...extra], {
      env,
    });
  /** A file written a minute ago: settled, so the first scan takes it. */
  const old = (path: string, content: string) => {
    writeFileSync(join(notes, path), content);
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(join(notes, path), minuteAgo, minuteAgo);
  };
  return { dir, notes, data, log, start, old };
}

describe('crash recovery', () => {
  it('a worker SIGKILLed mid-task resumes the task from its checkpoint after a restart, and finishes it once', async () => {
    const s = setup();
    const words = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
    s.old('long.wav', fakeAudio({ text: words, duration: 600, chunkSeconds: 30, msPerChunk: 60 }));

    const first = s.start();
    const firstExit = exited(first);
    await waitForEngineLog(s.log, (e) => e.event === 'chunk' && (e.index ?? 0) >= 5);
    first.kill('SIGKILL');
    expect((await firstExit).signal).toBe('SIGKILL');

    // The dead process left the task processing, with its checkpoint committed.
    const store = SqliteStore.open(join(s.data, 'hark.db'));
    const [left] = await store.tasks.getProcessingTasks();
    expect(left?.checkpointSeconds).toBeGreaterThanOrEqual(180);
    const checkpoint = left?.checkpointSeconds ?? 0;
    await store.close();

    const second = await exited(s.start('--exit-when-idle'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/recovered after a crash: 1 task\(s\) back in the queue/);

    const log = readEngineLog(s.log).filter((e) => e.file.endsWith('long.wav'));
    const starts = log.filter((e) => e.event === 'start');
    expect(starts.map((e) => e.startAt)).toEqual([0, checkpoint]);
    expect(log.filter((e) => e.event === 'done')).toHaveLength(1);
    // No committed chunk was done twice (a chunk is logged only after its commit): at most the one
    // in flight when the process died was repeated.
    const chunkEnds = log.filter((e) => e.event === 'chunk').map((e) => e.end);
    expect(chunkEnds).toHaveLength(20);
    expect(new Set(chunkEnds).size).toBe(20);

    const after = SqliteStore.open(join(s.data, 'hark.db'));
    const task = (await after.tasks.listTasks({ limit: 5 })).tasks[0];
    expect(task).toMatchObject({ status: 'completed', attempts: 1 });
    expect((await after.transcriptions.getTranscription(task?.transcriptionId ?? ''))?.text).toBe(words);
    await after.close();
  }, 60_000);

  for (const point of ['claim', 'chunk', 'commit', 'scan'] as const) {
    it(`dying exactly at "${point}" loses nothing and does nothing twice`, async () => {
      const s = setup({ HARK_CRASH_AT: `${point}:2` });
      const files = ['one', 'two', 'three'].map((name) => `${name}.wav`);
      for (const file of files)
        s.old(file, fakeAudio({ text: `words of ${file}`, duration: 70, chunkSeconds: 30 }));
      const dead = await exited(s.start('--exit-when-idle'));
      expect(dead.signal, dead.stderr).toBe('SIGKILL');

      const store = SqliteStore.open(join(s.data, 'hark.db'));
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Whatever the moment, the database holds whole states: no transcript without its task done.
      for (const task of (await store.tasks.listTasks({ limit: 10 })).tasks) {
        const transcription = await store.transcriptions.getTranscription(task.transcriptionId);
        expect(transcription?.status === 'complete', task.audioPath).toBe(task.status === 'completed');
      }
      await store.close();

      const again = await exited(
        spawnTs(
          CLI,
          ['start', '--notes', s.notes, '--data', s.data, '--engine', 'fake', '--exit-when-idle'],
          {
            env: { ...process.env, HARK_ENGINE_LOG: s.log },
          },
        ),
      );
      expect(again.code, again.stderr).toBe(0);
      const after = SqliteStore.open(join(s.data, 'hark.db'));
      const counts = await after.tasks.getCounts();
      expect(counts).toMatchObject({ completed: 3, pending: 0, processing: 0, failed: 0 });
      for (const file of files) {
        // Every window of every file was heard and committed exactly once. (After a death inside the
        // final commit the engine is called again, but from the checkpoint at the end: it hears nothing.)
        const chunks = readEngineLog(s.log).filter((e) => e.event === 'chunk' && e.file.endsWith(`/${file}`));
        expect(chunks.map((e) => e.index).sort(), file).toEqual([0, 1, 2]);
        const id = (await after.tasks.listTasks({ limit: 10 })).tasks.find(
          (t) => t.audioPath === file,
        )?.transcriptionId;
        expect((await after.transcriptions.getTranscription(id ?? ''))?.text).toBe(`words of ${file}`);
      }
      await after.close();
    }, 60_000);
  }

  it('a file that kills the process every time ends failed after max_retries instead of looping forever', async () => {
    const s = setup();
    s.old('poison.wav', fakeAudio({ fail: 'crash' }));
    s.old('fine.wav', fakeAudio({ text: 'all good' }));
    const runs: (number | string | null)[] = [];
    for (let run = 0; run < 6; run++) {
      const result = await exited(s.start('--exit-when-idle', '--max-retries', '2'));
      runs.push(result.signal ?? result.code);
      if (result.code === 0) break;
    }
    // Three attempts (the first and two retries) each took the process down; the fourth start gave up on it.
    expect(runs).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL', 0]);
    const store = SqliteStore.open(join(s.data, 'hark.db'));
    const tasks = (await store.tasks.listTasks({ limit: 5 })).tasks;
    expect(tasks.find((t) => t.audioPath === 'poison.wav')).toMatchObject({
      status: 'failed',
      errorKind: 'crashed',
      attempts: 3,
    });
    expect(tasks.find((t) => t.audioPath === 'fine.wav')).toMatchObject({ status: 'completed' });
    await store.close();
  }, 60_000);
});
