import { describe, expect, it } from 'vitest';
import type { Task } from '../src/core/types.js';
import { startTestApp } from './helpers/testApp.js';

/** A short note that takes a while to hear: 8 windows of 5 s, 60 ms each (the fake engine). */
const slowShort = (text: string) => ({ text, duration: 40, chunkSeconds: 5, msPerChunk: 60 });

describe('hark start --parallel 2', () => {
  it('runs two short notes at once (both in GET /api/queue), a recording stops both, and both finish once', async () => {
    const t = await startTestApp({ flags: { parallel: '2' } });
    const { events, scanner, queue } = t.app.services;
    t.addFile('a.wav', slowShort('alpha one two three'));
    t.addFile('b.wav', slowShort('bravo four five six'));
    // Both running and past their first window: seen by their own events, not by waiting.
    const heard = new Map<number, Task>();
    const bothHeard = new Promise<void>((resolve) => {
      const off = events.on('task-update', (task) => {
        if (task.status === 'processing' && task.progress > 0) heard.set(task.id, task);
        else heard.delete(task.id);
        if (heard.size === 2) {
          off();
          resolve();
        }
      });
    });
    await scanner.scan();
    await bothHeard;
    const ids = [...heard.keys()];
    const status = (await t.request({ method: 'GET', url: '/api/queue' })).json() as {
      active_tasks: { id: number }[];
      processing_count: number;
    };
    expect(status.active_tasks.map((task) => task.id).sort()).toEqual([...ids].sort());
    expect(status.processing_count).toBe(2);

    // A recording starts: both step aside at their checkpoints.
    const back = ids.map((id) =>
      events.waitFor('task-update', (task) => task.id === id && task.status === 'pending'),
    );
    expect((await t.request({ method: 'POST', url: '/api/recordings/start' })).statusCode).toBe(200);
    const paused = await Promise.all(back);
    expect(paused.map((task) => task.preemptedCount)).toEqual([1, 1]);
    expect((await queue.getCounts()).processing).toBe(0);

    // The recording ends (cancelled here): both resume from their checkpoints and complete, once each.
    const done = ids.map((id) =>
      events.waitFor('task-update', (task) => task.id === id && task.status === 'completed'),
    );
    expect((await t.request({ method: 'POST', url: '/api/recordings/cancel' })).statusCode).toBe(200);
    const finished = await Promise.all(done);
    expect(finished.map((task) => [task.attempts, task.preemptedCount])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    const texts = await Promise.all(finished.map((task) => queue.getTranscription(task.transcriptionId)));
    expect(texts.map((row) => row?.text).sort()).toEqual(['alpha one two three', 'bravo four five six']);
  });
});
