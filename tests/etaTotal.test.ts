import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, StatsJson } from '../src/core/json.js';
import { startTestApp } from './helpers/testApp.js';
import { eventually } from './helpers/wait.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const status = async (t: TestApp, query = '') =>
  (await t.request({ url: `/api/queue${query}` })).json() as QueueStatusJson;

/**
 * Pauses, and checks the total against its parts while nothing runs: every pending task
 * shows its audio length (measured before its turn), and the total is the audio left at
 * the engine's measured speed (here all of today's attempts are the engine's latest ones).
 */
async function totalWhilePaused(t: TestApp) {
  await t.request({ method: 'POST', url: '/api/queue/pause' });
  await eventually(async () => (await status(t)).processing_count === 0, 'the running task to step aside');
  const pending = await eventually(async () => {
    const page = await status(t, '?status=pending');
    return page.tasks.length > 0 && page.tasks.every((task) => task.duration !== null) && page;
  }, 'every pending task measured');
  const speed = ((await t.request({ url: '/api/stats?days=1' })).json() as StatsJson).speed;
  expect(speed.map((s) => s.engine)).toEqual(['fake']);
  const rtf = speed[0]?.real_time_factor ?? 0;
  expect(rtf).toBeGreaterThan(0);
  const audioLeft = pending.tasks.reduce(
    (sum, task) => sum + (task.duration ?? 0) - task.checkpoint_seconds,
    0,
  );
  expect(pending.eta_total_seconds).toBe(Math.round(audioLeft * rtf));
  return { eta: pending.eta_total_seconds ?? 0, audioLeft, completed: pending.completed_count };
}

describe('the queue total time left (GET /api/queue eta_total_seconds)', () => {
  it('is the pending audio at the measured speed of the engine in use, measured before each turn, and falls as tasks finish', async () => {
    const slow = { duration: 120, chunkSeconds: 30, msPerChunk: 150 };
    const t = await startTestApp({
      files: {
        'a-first.wav': { text: 'first', duration: 60, chunkSeconds: 30, msPerChunk: 100 },
        'b.wav': { text: 'b', ...slow },
        'c.wav': { text: 'c', ...slow, duration: 240 },
        'd.wav': { text: 'd', ...slow, duration: 600 },
      },
    });
    await eventually(async () => (await status(t)).completed_count >= 1, 'the first task done');
    const first = await totalWhilePaused(t);
    expect(first.eta).toBeGreaterThan(0);

    // Resumed, one more task finishes: the total is drawn again from what is left.
    await t.request({ method: 'POST', url: '/api/queue/resume' });
    await eventually(async () => (await status(t)).completed_count > first.completed, 'one more task done');
    const second = await totalWhilePaused(t);
    expect(second.audioLeft).toBeLessThan(first.audioLeft);

    await t.request({ method: 'POST', url: '/api/queue/resume' });
    const finished = await eventually(
      async () => {
        const page = await status(t);
        return page.completed_count === 4 && page;
      },
      'every task done',
      { timeoutMs: 30_000 },
    );
    expect(finished.eta_total_seconds).toBe(0);
  }, 60_000);
});
