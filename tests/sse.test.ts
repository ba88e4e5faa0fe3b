import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { QueueStatusJson } from '../src/core/json.js';
import { EventStream } from '../src/server/sse.js';
import { SseClient } from './helpers/sseClient.js';
import { startTestApp } from './helpers/testApp.js';

const status = (e: { data: unknown }) => e.data as QueueStatusJson;

describe('GET /api/events', () => {
  it('sends the current state at once, then every change, coalesced to at most ten a second', async () => {
    const t = await startTestApp();
    const client = await SseClient.connect(t.port);
    onTestFinished(() => client.close());
    expect(client.response?.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const first = await client.next((e) => e.event === 'background-task-update');
    expect(status(first)).toMatchObject({ is_paused: false, pending_count: 0, recording_state: 'Idle' });

    const paused = client.nextNew((e) => e.event === 'background-task-update' && status(e).is_paused);
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    expect(status(await paused).pause_reason).toBe('user');

    // A burst of 300 changes over about a second becomes a handful of messages, the last one current.
    const before = client.events.length;
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      t.app.services.events.emit('queue-changed', { reason: 'test' });
      if (i % 30 === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const resumed = client.nextNew((e) => e.event === 'background-task-update' && !status(e).is_paused);
    await t.request({ method: 'POST', url: '/api/queue/resume' });
    await resumed;
    const seconds = (Date.now() - started) / 1000;
    const broadcasts = client.events.slice(before).filter((e) => e.event === 'background-task-update').length;
    expect(broadcasts).toBeGreaterThan(1);
    expect(broadcasts).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1);
  });

  it('gives a client that reconnects the state it missed', async () => {
    const t = await startTestApp();
    const first = await SseClient.connect(t.port);
    await first.next((e) => e.event === 'background-task-update');
    first.close();
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const again = await SseClient.connect(t.port);
    onTestFinished(() => again.close());
    const state = await again.next((e) => e.event === 'background-task-update');
    expect(status(state).is_paused).toBe(true);
    expect(again.events[0]?.event).toBe('background-task-update');
  });

  it('refuses a foreign Host on the stream too', async () => {
    const t = await startTestApp();
    const client = await SseClient.connect(t.port, { host: `attacker.example:${t.port}` });
    onTestFinished(() => client.close());
    expect(client.response?.statusCode).toBe(403);
  });
});

describe('EventStream', () => {
  async function serve(stream: EventStream): Promise<number> {
    const server: Server = createServer((_request, response) => void stream.add(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(
      () =>
        new Promise<void>((resolve) => {
          stream.close();
          server.close(() => resolve());
        }),
    );
    return (server.address() as AddressInfo).port;
  }

  it('sends a heartbeat comment while nothing changes, and forgets clients that leave', async () => {
    const stream = new EventStream(async () => [{ event: 'tick', data: { n: 1 } }], { heartbeatMs: 30 });
    const port = await serve(stream);
    const client = await SseClient.connect(port);
    await client.next((e) => e.event === 'tick');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (client.comments >= 2) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    expect(stream.size).toBe(1);
    client.close();
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (stream.size === 0) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    expect(stream.size).toBe(0);
  });
});
