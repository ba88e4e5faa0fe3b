import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { writeFakeAudio } from '../helpers/harkServer.js';
import { SseClient } from '../helpers/sseClient.js';
import { tempDir } from '../helpers/tmp.js';
import { eventually } from '../helpers/wait.js';
import { type Memory, mb, openFileLimit, startMeasuredHark } from './memory/measure.js';

/**
 * 1,000 pages (or scripts) holding the event stream open at once, over real
 * sockets, against Hark in its own process. Memory is that process's: the
 * V8 heap after a full collection (the harness runs with --expose-gc and
 * collects on request), which is what a leak would grow, and the resident
 * size from /proc, which the allocator gives back only lazily (reported,
 * bounded loosely).
 */
const CLIENTS = 1_000;

const isStatus = (e: { event: string }) => e.event === 'background-task-update';
const status = (e: { data: unknown }) => e.data as QueueStatusJson;

describe('1,000 event-stream clients', () => {
  it('all get the state and every change; when they leave, the server lets go of them', async () => {
    // One socket per client in this process and one in the server's.
    expect(
      openFileLimit(),
      'ulimit -n is too low for 1,000 clients (each side needs a descriptor per client)',
    ).toBeGreaterThan(CLIENTS + 200);
    const dir = tempDir();
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    for (let i = 0; i < 30; i++) writeFakeAudio(notes, `day/${i}.wav`, { text: `note ${i}`, duration: 60 });
    const hark = await startMeasuredHark(notes, join(dir, 'data'));
    onTestFinished(() => {
      hark.child.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${hark.port}`;
    const headers = { host: `localhost:${hark.port}`, ...hark.authHeaders };
    const health = async () =>
      (await (await fetch(`${base}/api/health`, { headers })).json()) as { event_clients: number };
    const post = (path: string) => fetch(`${base}${path}`, { method: 'POST', headers });

    // Warm up what the first clients allocate once (compiled code, caches), then the baseline.
    const warm = await Promise.all(Array.from({ length: 50 }, () => SseClient.connect(hark.port)));
    await Promise.all(warm.map((c) => c.next(isStatus)));
    for (const c of warm) c.close();
    await eventually(async () => (await health()).event_clients === 0, 'the warm-up clients to be gone');
    const baseline = await hark.measure();

    /** CLIENTS connect at once, all get the state and two changes, then all leave. */
    const round = async () => {
      const started = Date.now();
      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => SseClient.connect(hark.port)));
      onTestFinished(() => {
        for (const c of clients) c.close();
      });
      const first = await Promise.all(clients.map((c) => c.next(isStatus)));
      const connectedMs = Date.now() - started;
      expect(first.every((e) => status(e).recording_state === 'Idle')).toBe(true);
      expect(clients.every((c) => c.response?.statusCode === 200)).toBe(true);
      expect((await health()).event_clients).toBe(CLIENTS);
      // A change reaches every one of them.
      const paused = clients.map((c) => c.nextNew((e) => isStatus(e) && status(e).is_paused));
      expect((await post('/api/queue/pause')).status).toBe(200);
      await Promise.all(paused);
      const resumed = clients.map((c) => c.nextNew((e) => isStatus(e) && !status(e).is_paused));
      expect((await post('/api/queue/resume')).status).toBe(200);
      await Promise.all(resumed);
      const during = await hark.measure();
      for (const c of clients) c.close();
      await eventually(async () => (await health()).event_clients === 0, 'every client to be let go');
      return { connectedMs, during, after: await hark.measure() };
    };
    const one = await round();
    const two = await round();

    const row = (name: string, m: Memory) => `${name}: heap ${mb(m.heapUsed)}, RSS ${mb(m.rss)}`;
    console.log(
      `${CLIENTS} SSE clients, twice (all had the state ${one.connectedMs} / ${two.connectedMs} ms after connecting): ` +
        [
          row('before', baseline),
          row('with them', one.during),
          row('after they left', one.after),
          row('with 1,000 more', two.during),
          row('after those left', two.after),
        ].join('; '),
    );
    // The clients cost memory while connected, so the measurement can tell; after they leave the
    // heap is back near the baseline (Node keeps a pool of up to 1,000 HTTP parsers), and a second
    // round leaves nothing more behind.
    const growth = one.during.heapUsed - baseline.heapUsed;
    expect(growth).toBeGreaterThan(2 ** 20);
    expect(one.after.heapUsed - baseline.heapUsed).toBeLessThan(Math.max(2 * 2 ** 20, 0.2 * growth));
    expect(two.after.heapUsed - one.after.heapUsed).toBeLessThan(2 ** 20);
    expect(two.after.rss).toBeLessThan(one.during.rss + 32 * 2 ** 20);

    // Still answering, and it stops cleanly.
    expect((await health()).event_clients).toBe(0);
    expect(await hark.stop()).toBe(0);
  }, 90_000);
});
