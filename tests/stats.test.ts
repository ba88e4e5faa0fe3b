import { describe, expect, it } from 'vitest';
import type { AttemptJson, QueueStatusJson, StatsJson } from '../src/core/json.js';
import { runCli } from './helpers/processes.js';
import { startTestApp } from './helpers/testApp.js';

async function drained(t: Awaited<ReturnType<typeof startTestApp>>) {
  const worker = t.app.worker;
  if (!worker) return;
  const idle = worker.nextIdle();
  worker.wake();
  await idle;
}

describe('statistics', () => {
  it('GET /api/stats counts today, speed per engine and failures by kind; attempts per task', async () => {
    const t = await startTestApp({
      files: {
        'a.wav': { text: 'a', duration: 4 },
        'b.wav': { text: 'b', duration: 6 },
        'bad.wav': { fail: 'unreadable' },
      },
    });
    await drained(t);
    const response = await t.request({ url: '/api/stats?days=7' });
    expect(response.statusCode).toBe(200);
    const stats = response.json() as StatsJson;
    expect(stats.days).toHaveLength(7);
    const today = stats.days.at(-1);
    expect(today).toMatchObject({ completed: 2, failed: 1 });
    expect(today?.audio_seconds).toBeGreaterThan(0);
    expect(stats.total_audio_seconds).toBeCloseTo(today?.audio_seconds ?? -1);
    expect(stats.failures_by_kind).toEqual([{ kind: 'unreadable_audio', count: 1 }]);
    expect(stats.speed.map((s) => [s.engine, s.model, s.day])).toEqual([['fake', null, today?.day]]);
    expect(stats.speed[0]?.real_time_factor).toBeGreaterThan(0);

    for (const bad of ['0', 'abc']) {
      expect((await t.request({ url: `/api/stats?days=${bad}` })).statusCode).toBe(400);
    }

    const queue = (await t.request({ url: '/api/queue?status=completed' })).json() as QueueStatusJson;
    const done = queue.tasks[0];
    if (!done) throw new Error('no completed task');
    const attempts = await t.request({ url: `/api/tasks/${done.id}/attempts` });
    expect(attempts.statusCode).toBe(200);
    const list = (attempts.json() as { attempts: AttemptJson[] }).attempts;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ outcome: 'completed', engine: 'fake', error_kind: null });
    expect(list[0]?.ended_at).toBeGreaterThanOrEqual(list[0]?.started_at ?? Number.POSITIVE_INFINITY);
    expect((await t.request({ url: '/api/tasks/999999/attempts' })).statusCode).toBe(404);
  });

  it('hark stats prints the day, the speed and the failures as tables', async () => {
    const t = await startTestApp({
      files: { 'a.wav': { text: 'a', duration: 4 }, 'bad.wav': { fail: 'unreadable' } },
    });
    await drained(t);
    await t.app.stop();
    const result = await runCli(['stats', '--days', '3'], {
      HARK_NOTES_DIR: t.notes,
      HARK_DATA_DIR: t.data,
      HARK_ENGINE: 'fake',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Transcribed in all: /);
    expect(result.stdout).toMatch(/day\s+audio\s+done\s+failed\s+retried\s+cancelled\s+queued\s+gave way/);
    expect(result.stdout).toMatch(/\d{4}-\d{2}-\d{2}\s+\S+\s+1\s+1\s+0\s+0\s/);
    expect(result.stdout).toMatch(/Speed per engine and model .*\n.*fake\s+-\s+\d+\.\d\d×/);
    expect(result.stdout).toMatch(/Failures by kind:\n\s*unreadable_audio\s+1/);
  }, 60_000);
});
