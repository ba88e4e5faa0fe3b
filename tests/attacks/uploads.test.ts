import { existsSync, readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { HTTP_LIMITS } from '../../src/server/app.js';
import { withCredential } from '../helpers/auth.js';
import { wavBuffer } from '../helpers/multipart.js';
import { closedByServer, openSocket } from '../helpers/rawHttp.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const BOUNDARY = 'hark-attack-boundary';

/**
 * The request head and the start of a multipart upload of one file, declared `length` bytes
 * long, with the credential of the Hark on `port` unless `anonymous`.
 */
function uploadHead(port: number, url: string, length: number, anonymous = false): string {
  const head =
    `POST ${url} HTTP/1.1\r\nHost: localhost:${port}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n` +
    'Content-Type: audio/wav\r\n\r\n';
  return anonymous ? head : withCredential(port, head);
}

/** Resolves with the first whole response on `socket` (head and Content-Length body), or what came before it closed. */
function firstResponse(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      socket.off('data', onData);
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? Number.NaN);
      if (end >= 0 && text.length >= end + 4 + length) done();
    };
    socket.on('data', onData);
    socket.once('close', done);
  });
}

/**
 * Sends an upload of `declared` bytes in 256 KB pieces until the server
 * answers; then stops, as curl and browsers do, unless `keepSending`.
 * Returns the answer, how much was sent by then, and when the server closed.
 */
async function oversizedUpload(
  port: number,
  url: string,
  declared: number,
  keepSending = false,
  anonymous = false,
): Promise<{ answer: string; sentBeforeAnswer: number; closedAfterAnswerMs: Promise<number> }> {
  const socket = await openSocket(port);
  onTestFinished(() => {
    socket.destroy();
  });
  const closed = closedByServer(socket);
  let answered = false;
  const answer = firstResponse(socket).then((text) => {
    answered = true;
    return text;
  });
  const write = (chunk: Buffer | string) =>
    new Promise<void>((resolve) => socket.write(chunk, () => resolve()));
  await write(
    uploadHead(port, url, declared, anonymous) + wavBuffer(0.01).subarray(0, 44).toString('latin1'),
  );
  const piece = Buffer.alloc(256 * 1024, 7);
  let sent = 0;
  let sentBeforeAnswer = -1;
  const pump = async () => {
    while (!socket.destroyed && sent < declared - piece.length) {
      if (answered && sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      if (answered && !keepSending) return;
      await write(piece);
      sent += piece.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  void pump();
  const text = await answer;
  const answeredAt = Date.now();
  while (sentBeforeAnswer < 0 && !socket.destroyed) await new Promise((resolve) => setImmediate(resolve));
  return { answer: text, sentBeforeAnswer, closedAfterAnswerMs: closed.then(() => Date.now() - answeredAt) };
}

function leftovers(t: TestApp): string[] {
  const dir = join(t.notes, 'imports');
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function pendingCount(t: TestApp): Promise<number> {
  return ((await t.request({ url: '/api/queue' })).json() as QueueStatusJson).pending_count;
}

describe('an oversized upload', () => {
  for (const url of ['/api/imports', '/api/recordings', '/api/transcribe-now/upload']) {
    it(`${url}: answers 413 at the limit and keeps nothing`, async () => {
      const t = await startTestApp({ env: { HARK_UPLOAD_LIMIT_MB: '1' } });
      await t.request({ method: 'POST', url: '/api/queue/pause' });
      if (url === '/api/recordings') await t.request({ method: 'POST', url: '/api/recordings/start' });
      const { answer, sentBeforeAnswer } = await oversizedUpload(t.port, url, 200 * 1024 * 1024);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toContain('"error":"payload_too_large"');
      // Answered a few pieces past the 1 MB limit, not after the 200 MB it announced.
      expect(sentBeforeAnswer).toBeLessThan(16 * 1024 * 1024);
      await expect.poll(() => leftovers(t)).toEqual([]);
      expect(await pendingCount(t)).toBe(0);
      expect((await t.request({ url: '/api/recordings/state' })).json()).toEqual({ recording_state: 'Idle' });
      expect((await t.request({ url: '/api/health' })).statusCode).toBe(200);
    });
  }

  it('refuses an upload without a credential at its head (401), before reading it, and keeps nothing', async () => {
    const t = await startTestApp();
    for (const url of ['/api/imports', '/api/recordings', '/api/transcribe-now/upload']) {
      const { answer, sentBeforeAnswer } = await oversizedUpload(t.port, url, 200 * 1024 * 1024, false, true);
      expect(answer, url).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer, url).toContain('"error":"unauthorized"');
      expect(sentBeforeAnswer, url).toBeLessThan(16 * 1024 * 1024);
    }
    expect(leftovers(t)).toEqual([]);
    expect(await pendingCount(t)).toBe(0);
  });

  it('cuts off a client that goes on sending after the answer, instead of reading it all', async () => {
    const t = await startTestApp({ env: { HARK_UPLOAD_LIMIT_MB: '1' } });
    const declared = 64 * 1024 ** 3; // 64 GB: more than a loopback link carries in the test's time
    const { answer, closedAfterAnswerMs } = await oversizedUpload(t.port, '/api/imports', declared, true);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    const ms = await closedAfterAnswerMs;
    expect(ms).toBeGreaterThanOrEqual(HTTP_LIMITS.lingerMs - 100);
    expect(ms).toBeLessThan(HTTP_LIMITS.lingerMs + 2_000);
    expect(leftovers(t)).toEqual([]);
  });
});

describe('a slow-loris client', () => {
  /** Shorter limits than HTTP_LIMITS so the test is quick; Node reads them at each check. */
  function shorten(t: TestApp, limits: { headersMs: number; requestMs: number }): void {
    const server = t.app.http?.server;
    if (!server) throw new Error('not serving');
    server.headersTimeout = limits.headersMs;
    server.requestTimeout = limits.requestMs;
  }

  function trickle(socket: Socket, everyMs: number): () => void {
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write('a');
    }, everyMs);
    return () => clearInterval(timer);
  }

  it('runs with finite limits on headers and requests, checked every second', async () => {
    const t = await startTestApp();
    const server = t.app.http?.server;
    expect(server?.headersTimeout).toBe(HTTP_LIMITS.headersTimeoutMs);
    expect(server?.requestTimeout).toBe(HTTP_LIMITS.requestTimeoutMs);
    expect(HTTP_LIMITS.checkEveryMs).toBeLessThanOrEqual(1_000);
  });

  it('is cut off (408) when it trickles its headers, while others are served', async () => {
    const t = await startTestApp();
    shorten(t, { headersMs: 1_000, requestMs: 5_000 });
    const slow = await Promise.all(Array.from({ length: 200 }, () => openSocket(t.port)));
    const started = Date.now();
    const closings = slow.map((socket) => {
      const closed = closedByServer(socket);
      socket.write(`GET /api/queue HTTP/1.1\r\nHost: localhost:${t.port}\r\nX-Slow: `);
      const stop = trickle(socket, 100);
      return closed.then((answer) => {
        stop();
        return { answer, ms: Date.now() - started };
      });
    });
    onTestFinished(() => {
      for (const socket of slow) socket.destroy();
    });
    // Others are answered at once meanwhile.
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`http://127.0.0.1:${t.port}/api/health`, {
        headers: { host: `localhost:${t.port}`, ...t.authHeaders },
      });
      expect(response.status).toBe(200);
    }
    expect(slow.every((socket) => !socket.destroyed)).toBe(true);
    const cut = await Promise.all(closings);
    for (const { answer, ms } of cut) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(1_000 + HTTP_LIMITS.checkEveryMs + 2_000);
    }
  });

  it('is cut off (408) when it trickles an upload, and its part file is deleted', async () => {
    const t = await startTestApp();
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    shorten(t, { headersMs: 1_000, requestMs: 2_000 });
    const socket = await openSocket(t.port);
    onTestFinished(() => {
      socket.destroy();
    });
    const closed = closedByServer(socket);
    const started = Date.now();
    socket.write(uploadHead(t.port, '/api/imports', 100_000));
    socket.write(wavBuffer(0.01).subarray(0, 200));
    const stop = trickle(socket, 100);
    // The upload has begun: its hidden part file is there while the body trickles in.
    await expect.poll(() => leftovers(t).filter((name) => name.startsWith('.hark-upload-'))).toHaveLength(1);
    expect((await t.request({ url: '/api/health' })).statusCode).toBe(200);
    const answer = await closed;
    stop();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(2_000 + HTTP_LIMITS.checkEveryMs + 2_000);
    await expect.poll(() => leftovers(t)).toEqual([]);
    expect(await pendingCount(t)).toBe(0);
  });
});
