import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { withCredential } from '../helpers/auth.js';
import { multipart, wavBuffer } from '../helpers/multipart.js';
import { rawExchange } from '../helpers/rawHttp.js';
import { startTestApp } from '../helpers/testApp.js';

/**
 * DNS rebinding (a page on evil.example whose name now resolves to
 * 127.0.0.1: the browser still sends Host: evil.example) and CSRF (any page
 * posting to http://localhost:<port>: the browser sends its own Origin).
 * Hark answers only to its own names, exactly; every other spelling is refused
 * before anything is read or changed.
 */
describe('DNS rebinding: the Host header', () => {
  it('answers only to loopback names with its own port, in any letter case', async () => {
    const t = await startTestApp();
    const p = t.port;
    for (const host of [
      `localhost:${p}`,
      `127.0.0.1:${p}`,
      `[::1]:${p}`,
      `LOCALHOST:${p}`,
      `LocalHost:${p}`,
    ]) {
      expect((await t.request({ url: '/api/health', headers: { host } })).statusCode, host).toBe(200);
    }
    const foreign = [
      `evil.example:${p}`,
      `evil.example`,
      `localhost.:${p}`, // trailing dot: a different name to the browser's origin checks
      `127.0.0.1.:${p}`,
      `evil.localhost:${p}`,
      `localhost`, // no port: some other service's origin
      `localhost:${p + 1}`,
      `localhost:0${p}`,
      `localhost:${p}:${p}`,
      `localhost:${p}.evil.example`,
      `user@localhost:${p}`,
      `localhost:${p}@evil.example`,
      `evil.example@localhost:${p}`,
      `[::ffff:127.0.0.1]:${p}`,
      `[0:0:0:0:0:0:0:1]:${p}`,
      `::1:${p}`,
      `[::1]`,
      `127.1:${p}`,
      `2130706433:${p}`,
      `0x7f.0.0.1:${p}`,
      `localhost :${p}`,
      ` localhost:${p}`,
      `localhost%00:${p}`,
      `localhost\\:${p}`,
      '',
    ];
    for (const host of foreign) {
      for (const url of ['/api/health', '/api/queue', '/', '/api/transcriptions']) {
        const answer = await t.request({ url, headers: { host } });
        expect(answer.statusCode, `${JSON.stringify(host)} ${url}`).toBe(403);
        expect(answer.json(), host).toMatchObject({
          error: 'forbidden',
          message: expect.stringMatching(/Hark/),
        });
      }
    }
    // A refused state change changes nothing.
    await t.request({ method: 'POST', url: '/api/queue/pause', headers: { host: `evil.example:${p}` } });
    expect(((await t.request({ url: '/api/queue' })).json() as QueueStatusJson).is_paused).toBe(false);
  });

  it('refuses over a real socket too: a doubled, missing or absolute-form Host', async () => {
    const t = await startTestApp();
    const p = t.port;
    const exchange = (head: string) => rawExchange(p, withCredential(p, `${head}\r\n\r\n`));
    expect((await exchange(`GET /api/health HTTP/1.1\r\nHost: localhost:${p}`)).statuses).toEqual([200]);
    expect((await exchange(`GET /api/health HTTP/1.1\r\nHost: evil.example:${p}`)).statuses).toEqual([403]);
    // Node keeps the first Host and drops the rest: a foreign first one is refused.
    expect(
      (await exchange(`GET /api/health HTTP/1.1\r\nHost: evil.example:${p}\r\nHost: localhost:${p}`))
        .statuses,
    ).toEqual([403]);
    expect((await exchange('GET /api/health HTTP/1.1')).statuses).toEqual([400]);
    expect((await exchange('GET /api/health HTTP/1.0')).statuses).toEqual([403]);
    // The absolute form names another host; the Host header still decides, and the answer is no page of Hark's.
    const absolute = await exchange(`GET http://evil.example/api/health HTTP/1.1\r\nHost: evil.example`);
    expect(absolute.statuses).toEqual([403]);
  });
});

describe('CSRF: the Origin header on state changes', () => {
  it("accepts Hark's own origins and requests without one (the CLI, curl)", async () => {
    const t = await startTestApp();
    const p = t.port;
    for (const origin of [
      undefined,
      `http://localhost:${p}`,
      `http://127.0.0.1:${p}`,
      `http://[::1]:${p}`,
      `HTTP://LOCALHOST:${p}`,
    ]) {
      const answer = await t.request({
        method: 'POST',
        url: '/api/queue/resume',
        headers: origin === undefined ? {} : { origin },
      });
      expect(answer.statusCode, origin).toBe(200);
    }
  });

  it('refuses every other origin before reading the body or changing anything', async () => {
    const t = await startTestApp();
    const p = t.port;
    const foreign = [
      'null',
      '',
      'https://evil.example',
      `http://evil.example:${p}`,
      `https://localhost:${p}`,
      `http://localhost`,
      `http://localhost:${p + 1}`,
      `http://localhost.:${p}`,
      `http://localhost:${p}/`,
      `http://localhost:${p}.evil.example`,
      `http://localhost:${p}@evil.example`,
      `http://user@localhost:${p}`,
      `http://[::ffff:127.0.0.1]:${p}`,
      `http://127.1:${p}`,
      `localhost:${p}`,
      `//localhost:${p}`,
      `http://localhost:${p}, http://evil.example`,
      `file://`,
      `chrome-extension://abcdef`,
    ];
    const wav = multipart([{ field: 'file', filename: 'csrf.wav', content: wavBuffer(0.1) }]);
    for (const origin of foreign) {
      for (const [url, extra] of [
        ['/api/queue/pause', {}],
        ['/api/tasks/retry-failed', {}],
        ['/api/tasks/clear-completed', {}],
        ['/api/tasks/clear-cancelled', {}],
        ['/api/tasks/cancel-pending', {}],
        ['/api/recordings/start', {}],
        ['/api/imports', wav],
        ['/api/transcribe-now', { payload: { path: 'a.wav' } }],
      ] as const) {
        const answer = await t.request({
          method: 'POST',
          url,
          ...extra,
          headers: { ...('headers' in extra ? extra.headers : {}), origin },
        });
        expect(answer.statusCode, `${JSON.stringify(origin)} ${url}`).toBe(403);
        expect(answer.json()).toEqual({ error: 'forbidden', message: 'Cross-site requests are refused' });
      }
    }
    const status = (await t.request({ url: '/api/queue' })).json() as QueueStatusJson;
    expect([status.is_paused, status.recording_state]).toEqual([false, 'Idle']);
    expect(existsSync(join(t.notes, 'imports'))).toBe(false);
  });

  it('lets reads through with any Origin: the browser keeps the answer from a foreign page (no CORS headers)', async () => {
    const t = await startTestApp();
    const answer = await t.request({ url: '/api/queue', headers: { origin: 'https://evil.example' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.request({
      method: 'OPTIONS',
      url: '/api/queue/pause',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
