import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TaskJson } from '../../src/core/json.js';
import { captureLog } from '../helpers/captureLog.js';
import { multipart, wavBuffer } from '../helpers/multipart.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { eventually } from '../helpers/wait.js';
import { canMountTmpfs, mountSmallDisk } from './storage/smallDisk.js';

const queue = async (t: TestApp, query = '') =>
  (await t.request({ url: `/api/queue${query}` })).json() as QueueStatusJson;

/**
 * The disk Hark's notes and database live on fills up while it works: a
 * real 16 MB tmpfs, filled to the last byte by another file, then freed.
 * (Mounting needs root, as in CI; elsewhere the test is reported skipped.)
 */
describe.skipIf(!canMountTmpfs())('a full disk', () => {
  it('reports it (507, log), keeps its state, and recovers when space comes back', async () => {
    const disk = mountSmallDisk(16);
    const { log, lines: logs } = captureLog();
    const t = await startTestApp({
      dir: disk.path,
      // Checkpoints every 250 ms rewind the WAL so often that small writes (a pause, a chunk)
      // land in space the WAL already has and succeed on the full disk, some runs and not others.
      // Here every write must reach for new space, as it does once the WAL has to grow.
      backgroundCheckpoints: false,
      log,
      files: {
        'long.wav': { text: 'a long note', duration: 30, chunkSeconds: 1, msPerChunk: 100 },
        'next.wav': { text: 'the next note' },
      },
    });
    await eventually(
      async () => ((await queue(t)).active_task?.progress ?? 0) > 0,
      'the first task to be under way',
    );
    disk.fill();

    // The API says so, and keeps nothing of what it refused.
    const upload = multipart([{ field: 'file', filename: 'memo.wav', content: wavBuffer(0.5) }]);
    const refused = await t.request({ method: 'POST', url: '/api/imports', ...upload });
    expect(refused.statusCode).toBe(507);
    expect(refused.json()).toEqual({
      error: 'disk_full',
      message: 'The disk is full; free some space and try again',
    });
    expect(readdirSync(join(t.notes, 'imports'))).toEqual([]);
    const pause = await t.request({ method: 'POST', url: '/api/queue/pause' });
    expect(pause.statusCode).toBe(507);
    // The worker's checkpoint is refused too: the task stops and waits to be put back. Nothing but
    // the log tells when (no event: the refused write changed nothing); the user reads it there.
    await eventually(
      () => logs.some((line) => /task 1 .*The disk is full/.test(line)),
      'the worker to hit the full disk',
    );
    // Still up, and its state as it was: nothing failed, nothing lost.
    expect((await t.request({ url: '/api/health' })).statusCode).toBe(200);
    const during = await queue(t);
    expect(during).toMatchObject({ is_paused: false, failed_count: 0, completed_count: 0 });
    expect(during.pending_count + during.processing_count).toBe(2);

    disk.free();

    const done = await eventually(
      async () => {
        const status = await queue(t, '?status=completed');
        return status.completed_count === 2 && status;
      },
      'both tasks to be completed',
      { timeoutMs: 30_000 },
    );
    expect(done).toMatchObject({ failed_count: 0, processing_count: 0, pending_count: 0 });
    expect(done.tasks.map((task) => [task.audio_path, task.retry_count]).sort()).toEqual([
      ['long.wav', 0],
      ['next.wav', 0],
    ]);
    expect(readFileSync(join(t.notes, 'long.txt'), 'utf8')).toBe('a long note\n');
    expect(readFileSync(join(t.notes, 'next.txt'), 'utf8')).toBe('the next note\n');
    expect(logs.some((line) => /POST \/api\/imports failed \(507\)/.test(line))).toBe(true);

    // Writes work again; the refused upload is taken under its own name.
    const again = await t.request({ method: 'POST', url: '/api/imports', ...upload });
    expect(again.statusCode).toBe(201);
    expect((again.json() as { tasks: TaskJson[] }).tasks[0]?.audio_path).toBe('imports/memo.wav');
    expect((await t.request({ method: 'POST', url: '/api/queue/pause' })).statusCode).toBe(200);

    await t.app.stop();
    const db = new Database(join(t.data, 'hark.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    expect(existsSync(join(t.notes, 'imports', 'memo (2).wav'))).toBe(false);
  }, 60_000);
});
