import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../src/core/json.js';
import { MODEL_WAIT_REASON } from '../src/services/engineGate.js';
import { startHark, writeOldFile } from './helpers/harkServer.js';
import { modelServerEnv, startModelServer } from './helpers/modelServer.js';
import { wavBuffer } from './helpers/multipart.js';
import { CLI, exited, spawnTs } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

/**
 * The first start on a fresh machine: `hark start` must serve at once, with
 * the default model downloading in the background over a slow line, the
 * queue waiting for it, and starting once the model is verified.
 */
describe('hark start serves before the model is downloaded', () => {
  it('answers the page during the download, waits with the queue, and starts it once the model is verified', async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes');
    const data = join(dir, 'data');
    const holdAfter = 512 * 1024;
    const server = await startModelServer(dir, { holdAfter, chunkBytes: 128 * 1024 });
    writeOldFile(notes, 'memo.wav', wavBuffer(2));
    let output = '';
    const hark = await startHark({ notes, data, engine: 'auto', env: modelServerEnv(server) });
    hark.child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    hark.child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
    const get = async (path: string): Promise<any> =>
      (await fetch(`${hark.url}${path}`, { headers: hark.authHeaders })).json();

    // Serving while the download is held part-way.
    await eventually(() => server.sent() >= holdAfter, 'the download to begin');
    const page = await fetch(`${hark.url}/`);
    expect(page.status).toBe(200);
    const health = await get('/api/health');
    expect(health.downloads).toEqual([
      expect.objectContaining({ name: 'base.en', phase: 'downloading', bytes: holdAfter }),
    ]);
    expect(health.engines.background).toMatchObject({ kind: 'none', waiting_for: 'base.en' });
    const waiting = (await get('/api/queue')) as QueueStatusJson;
    expect(waiting).toMatchObject({ is_paused: true, pause_reason: MODEL_WAIT_REASON, pending_count: 1 });
    // Resuming by hand is refused with the reason: the model is not there yet.
    const resume = await fetch(`${hark.url}/api/queue/resume`, { method: 'POST', headers: hark.authHeaders });
    expect(resume.status).toBe(409);
    expect(((await resume.json()) as { message: string }).message).toMatch(
      /starts once the base\.en model is downloaded and verified/,
    );

    server.release();
    const running = await eventually(
      async () => {
        const queue = (await get('/api/queue')) as QueueStatusJson;
        return queue.completed_count + queue.failed_count === 1 && queue;
      },
      'the queue to start and finish the memo',
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(running).toMatchObject({ is_paused: false, completed_count: 1 });
    expect((await get('/api/health')).engine).toBe('whisper:base.en');
    // (The "downloading in the background" line comes before this test can listen: health showed the download above.)
    expect(output).toMatch(/downloaded and verified base\.en/);
    await hark.stop();
  }, 90_000);

  it('--exit-when-idle on a fresh machine waits for the model, transcribes, then exits', async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes');
    const data = join(dir, 'data');
    const server = await startModelServer(dir, { chunkBytes: 256 * 1024, pauseMs: 2 });
    writeOldFile(notes, 'memo.wav', wavBuffer(2));
    const child = spawnTs(
      CLI,
      ['start', '--exit-when-idle', '--engine', 'auto', '--notes', notes, '--data', data],
      { env: { ...process.env, ...modelServerEnv(server) } },
    );
    const exit = await exited(child);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout + exit.stderr).toMatch(/downloaded and verified base\.en/);
    expect(exit.stdout + exit.stderr).toMatch(/✓ memo\.wav/);
  }, 90_000);
});
