import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TaskJson } from '../src/core/json.js';
import { timeLeftWords } from '../src/core/timeLeft.js';
import { fakeAudio } from '../src/transcription/fakeEngine.js';
import { authHeaders } from './helpers/auth.js';
import { readEngineLog, waitForEngineLog } from './helpers/engineLog.js';
import { untilHarkReady, untilHarkServes } from './helpers/harkReady.js';
import { CLI, exited, runCli, spawnTs } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

function setup() {
  const dir = tempDir();
  const notes = join(dir, 'notes');
  const data = join(dir, 'data');
  mkdirSync(notes);
  const log = join(dir, 'engine.log');
  const env = {
    HARK_ENGINE_LOG: log,
    HARK_NOTES_DIR: notes,
    HARK_DATA_DIR: data,
    HARK_ENGINE: 'fake',
    HARK_PORT: '0',
  };
  const cli = (...args: string[]) => runCli(args, env);
  const start = (...args: string[]) =>
    spawnTs(CLI, ['start', '--no-watch', ...args], { env: { ...process.env, ...env } });
  const old = (path: string, content: string) => {
    writeFileSync(join(notes, path), content);
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(join(notes, path), minuteAgo, minuteAgo);
  };
  const status = async () => {
    const result = await cli('status', '--json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as QueueStatusJson;
  };
  return { dir, notes, data, log, cli, start, old, status };
}

describe('hark CLI', () => {
  it('refuses a second `hark start` on the same data folder, naming the running one', async () => {
    const s = setup();
    const app = s.start();
    const appExit = exited(app);
    expect((await untilHarkReady(app, s.data)).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const second = await s.cli('start', '--no-watch', '--port', '0');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /Hark is already running on .*data \(pid \d+, http:\/\/127\.0\.0\.1:\d+\)\. Stop it first, or use another --data folder\./,
    );
    app.kill('SIGTERM');
    expect((await appExit).code).toBe(0);
  }, 30_000);

  it('says in its instance file when it is ready, without a server too (--no-serve)', async () => {
    const s = setup();
    s.old('a.wav', fakeAudio({ text: 'a' }));
    const app = s.start('--no-serve');
    const appExit = exited(app);
    const info = await untilHarkReady(app, s.data);
    expect(info).toMatchObject({ pid: app.pid, url: null, ready: true });
    // Ready means the first scan is done: the file is in the queue.
    const status = await s.status();
    expect(status.pending_count + status.processing_count + status.completed_count).toBe(1);
    app.kill('SIGTERM');
    expect((await appExit).code).toBe(0);
  }, 30_000);

  it('pause, resume and cancel typed in another terminal take effect in the running app', async () => {
    const s = setup();
    // 120 windows of 250 ms: long enough that the cancel typed below (a whole CLI start-up on a
    // busy machine) always finds the task still running; 20 windows were sometimes done first.
    const slow = {
      text: 'one two three four five six seven eight',
      duration: 600,
      chunkSeconds: 5,
      msPerChunk: 250,
    };
    s.old('a.wav', fakeAudio(slow));
    s.old('b.wav', fakeAudio({ text: 'b' }));
    const app = s.start();
    const appExit = exited(app);
    await waitForEngineLog(s.log, (e) => e.event === 'chunk' && e.file.endsWith('a.wav'));

    expect((await s.cli('pause')).stdout).toBe('Queue paused.\n');
    // The running task is put back (pre-empted, not failed): the store says so once it is.
    const paused = await eventually(async () => {
      const status = await s.status();
      return status.processing_count === 0 && status;
    }, 'the running task to be put back');
    expect(paused).toMatchObject({
      is_paused: true,
      pause_reason: 'user',
      processing_count: 0,
      pending_count: 2,
    });
    const a = paused.tasks.find((t) => t.audio_path === 'a.wav');
    expect(a).toMatchObject({ preempted_count: 1, retry_count: 0 });
    expect(a?.checkpoint_seconds).toBeGreaterThan(0);
    const startsWhilePaused = readEngineLog(s.log).filter((e) => e.event === 'start').length;

    expect((await s.cli('resume')).code).toBe(0);
    const resumed = await waitForEngineLog(s.log, (e) => e.event === 'start' && (e.startAt ?? 0) > 0);
    expect(resumed.startAt).toBe(a?.checkpoint_seconds);
    expect(readEngineLog(s.log).filter((e) => e.event === 'start')).toHaveLength(startsWhilePaused + 1);

    const cancelled = await s.cli('cancel', String(a?.id));
    expect(cancelled.stdout, cancelled.stderr).toMatch(/^Cancelled task \d+ \(a\.wav\)\./);
    await waitForEngineLog(s.log, (e) => e.event === 'done' && e.file.endsWith('b.wav'));
    const after = await s.status();
    expect(after).toMatchObject({
      completed_count: 1,
      cancelled_count: 1,
      pending_count: 0,
      processing_count: 0,
    });
    expect(readEngineLog(s.log).filter((e) => e.event === 'done' && e.file.endsWith('a.wav'))).toHaveLength(
      0,
    );

    app.kill('SIGTERM');
    expect((await appExit).code).toBe(0);
  }, 60_000);

  it('keeps the queue paused across a restart', async () => {
    const s = setup();
    s.old('a.wav', fakeAudio({ text: 'x' }));
    expect((await s.cli('pause')).code).toBe(0);
    const run = await exited(s.start('--exit-when-idle'));
    expect(run.code, run.stderr).toBe(0);
    expect(readEngineLog(s.log)).toEqual([]);
    expect(await s.status()).toMatchObject({ is_paused: true, pending_count: 1 });
    await s.cli('resume');
    expect((await exited(s.start('--exit-when-idle'))).code).toBe(0);
    expect(await s.status()).toMatchObject({ is_paused: false, pending_count: 0, completed_count: 1 });
  }, 30_000);

  it('removes a finished task (rm-task) and clears cancelled ones, keeping transcripts', async () => {
    const s = setup();
    s.old('bad.wav', fakeAudio({ fail: 'unreadable' }));
    s.old('good.wav', fakeAudio({ text: 'good' }));
    expect((await exited(s.start('--exit-when-idle'))).code).toBe(0);
    const listed = await s.cli('tasks', '--json');
    const before = (JSON.parse(listed.stdout) as { tasks: TaskJson[] }).tasks;
    const bad = before.find((task) => task.status === 'failed');
    const good = before.find((task) => task.status === 'completed');
    if (!bad || !good) throw new Error(`expected a failed and a completed task: ${listed.stdout}`);
    expect(bad).toMatchObject({
      retryable: false,
      error_summary: "This file isn't audio we can read — it may be damaged.",
    });

    const removed = await s.cli('rm-task', String(good.id));
    expect([removed.code, removed.stdout]).toEqual([0, `Removed task ${good.id} (good.wav).\n`]);
    expect((await s.cli('rm-task', String(good.id))).code).toBe(1);

    expect((await s.cli('retry', String(bad.id))).code).toBe(0);
    const live = await s.cli('rm-task', String(bad.id));
    expect([live.code, live.stderr]).toEqual([
      1,
      `hark: Task ${bad.id} is pending; cancel it first, only finished tasks can be removed [invalid_state]\n`,
    ]);
    expect((await s.cli('cancel', String(bad.id))).code).toBe(0);
    const cleared = await s.cli('clear-cancelled');
    expect([cleared.code, cleared.stdout]).toEqual([0, 'Cleared 1 cancelled task(s).\n']);
    expect(await s.status()).toMatchObject({
      completed_count: 0,
      failed_count: 0,
      cancelled_count: 0,
      tasks: [],
    });
  }, 60_000);

  it('answers mistakes with a one-line message and a non-zero exit code', async () => {
    const s = setup();
    expect((await s.cli('frobnicate')).code).toBe(2);
    const badId = await s.cli('retry', 'abc');
    expect([badId.code, badId.stderr]).toEqual([
      2,
      'hark: usage: hark retry <task-id> | hark retry --all [bad_request]\n',
    ]);
    const missing = await s.cli('cancel', '999');
    expect([missing.code, missing.stderr]).toEqual([1, 'hark: Task 999 was not found [not_found]\n']);
    const badFlag = await s.cli('tasks', '--status', 'sleeping');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(
      /--status must be one of pending, processing, completed, failed, cancelled/,
    );
    const badEngine = await s.cli('status', '--engine', 'telepathy');
    expect(badEngine.code).toBe(2);
    s.old('done.wav', fakeAudio({ text: 'done' }));
    await exited(s.start('--exit-when-idle'));
    const notFailed = await s.cli('retry', '1');
    expect([notFailed.code, notFailed.stderr]).toEqual([
      1,
      'hark: Task 1 is completed; only failed or cancelled tasks can be retried [invalid_state]\n',
    ]);
    const tasks = await s.cli('tasks');
    expect(tasks.stdout).toMatch(/^ID\s+STATUS\s+PRI\s+PROGRESS\s+RETRIES\s+FILE/);
    expect(tasks.stdout).toMatch(/1\s+completed\s+0\s+100%\s+0\/2\s+done\.wav/);
  }, 60_000);
});

describe('hark status', () => {
  it('prints the total time left the running app reckons, in the words of the web strip, and nothing when none runs', async () => {
    const s = setup();
    s.old('a-first.wav', fakeAudio({ text: 'first', duration: 60, chunkSeconds: 30, msPerChunk: 500 }));
    // No app, no measured speed: the time left is not known, and not printed.
    expect((await s.cli('status')).stdout).not.toMatch(/queued work/);
    const app = s.start();
    const appExit = exited(app);
    const url = await untilHarkServes(app, s.data);
    await eventually(async () => (await s.status()).completed_count === 1, 'the first task done');
    expect((await s.cli('pause')).code).toBe(0);
    s.old('b-later.wav', fakeAudio({ text: 'later', duration: 36_000, chunkSeconds: 30, msPerChunk: 100 }));
    expect((await s.cli('scan', '--json')).code).toBe(0);
    // The app measures the pending audio before its turn; then it knows the time left.
    const queue = async () =>
      (await (
        await fetch(`${url}/api/queue?status=pending&limit=1`, { headers: authHeaders(s.data) })
      ).json()) as QueueStatusJson;
    const known = await eventually(async () => {
      const page = await queue();
      return page.pending_count === 1 && page.eta_total_seconds !== null && page.eta_total_seconds;
    }, 'the app to know the time left');

    const printed = await s.cli('status');
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`All queued work: ${timeLeftWords(known)}`);
    expect(printed.stdout).toMatch(
      // Ten hours of audio at the first task's pace: minutes or hours, as the strip rounds them.
      /All queued work: about \d+ (min|h)/,
    );
    expect((await s.status()).eta_total_seconds).toBe(known);

    app.kill('SIGTERM');
    expect((await appExit).code).toBe(0);
    expect((await s.cli('status')).stdout).not.toMatch(/queued work/);
  }, 120_000);
});
