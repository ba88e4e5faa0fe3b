import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TaskJson } from '../../src/core/json.js';
import { captureLog } from '../helpers/captureLog.js';
import { multipart, wavBuffer } from '../helpers/multipart.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { eventually } from '../helpers/wait.js';
import { lockDatabase } from './storage/locker.js';

const queue = async (t: TestApp, query = '') =>
  (await t.request({ url: `/api/queue${query}` })).json() as QueueStatusJson;

/**
 * Another process holds hark.db locked (BEGIN EXCLUSIVE, as a backup tool or
 * a sqlite3 shell in a long transaction would) for longer than Hark's busy
 * timeout (5 s), while a task is being transcribed and the API is asked to
 * change things.
 */
describe('a database locked by another process', () => {
  it('answers 503 with a message, keeps running, loses nothing, and catches up when the lock goes', async () => {
    const { log, lines: logs } = captureLog();
    const t = await startTestApp({
      log,
      files: { 'long.wav': { text: 'one two three four', duration: 40, chunkSeconds: 1, msPerChunk: 100 } },
    });
    await eventually(
      async () => ((await queue(t)).active_task?.progress ?? 0) > 0,
      'the task to be under way',
    );
    const lock = await lockDatabase(join(t.data, 'hark.db'), 'write');

    // A write waits out the busy timeout, then is refused with a 503 and a message; nothing is kept.
    const upload = multipart([{ field: 'file', filename: 'memo.wav', content: wavBuffer(0.2) }]);
    const refused = await t.request({ method: 'POST', url: '/api/imports', ...upload });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({
      error: 'database_locked',
      message: 'The database is locked by another program; try again',
    });
    expect(readdirSync(join(t.notes, 'imports'))).toEqual([]);
    // Reads go on (WAL), and the app is up.
    expect((await t.request({ url: '/api/health' })).statusCode).toBe(200);
    expect((await t.request({ url: '/api/queue' })).statusCode).toBe(200);
    // The worker's own writes are refused too (a checkpoint, then the task's outcome). Nothing but
    // the log tells when (no event: the refused write changed nothing); the user reads it there.
    await eventually(
      () => logs.some((line) => /task 1 .*locked by another process/.test(line)),
      'the worker to be refused',
    );
    // And nothing changed meanwhile: the task is still the worker's, not failed.
    expect(await queue(t)).toMatchObject({ processing_count: 1, pending_count: 0, failed_count: 0 });

    await lock.release();

    // The task the worker was running when its writes were refused is finished, once, and its
    // attempt was not spent on the lock.
    const done = await eventually(async () => {
      const status = await queue(t, '?status=completed');
      return status.completed_count === 1 && status.processing_count === 0 && status;
    }, 'the task to be recorded as completed');
    const task = done.tasks[0] as TaskJson;
    expect(task).toMatchObject({ audio_path: 'long.wav', retry_count: 0, status: 'completed' });
    // Both refusals are in Hark's log, where the user looks.
    expect(logs.some((line) => /POST \/api\/imports failed \(503\)/.test(line))).toBe(true);
    expect(logs.some((line) => /could not record the outcome of task 1 yet/.test(line))).toBe(true);
    expect(readFileSync(join(t.notes, 'long.txt'), 'utf8')).toBe('one two three four\n');

    // Writes work again: the same upload is taken under its own name (the refused one left no copy).
    const again = await t.request({ method: 'POST', url: '/api/imports', ...upload });
    expect(again.statusCode).toBe(201);
    expect((again.json() as { tasks: TaskJson[] }).tasks[0]?.audio_path).toBe('imports/memo.wav');
    expect((await t.request({ method: 'POST', url: '/api/queue/pause' })).statusCode).toBe(200);

    const db = new Database(join(t.data, 'hark.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const transcripts = db
        .prepare("SELECT count(*) AS n FROM transcriptions WHERE audio_path = 'long.wav'")
        .get();
      expect(transcripts).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    expect(existsSync(join(t.notes, 'imports', 'memo (2).wav'))).toBe(false);
  }, 90_000);
});
