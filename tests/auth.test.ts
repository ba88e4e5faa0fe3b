import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PUBLIC_API_ROUTES } from '../src/server/auth/guard.js';
import { routesOf } from '../src/server/auth/routeList.js';
import { AccessControl } from '../src/services/auth/accessControl.js';
import { ManualClock } from './helpers/manualClock.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';

/** A route's path with its parameters filled in (`:id` → 1, `*` → a name). */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, '1').replace(/\*/g, 'some-path');
}

function routes(t: TestApp) {
  const http = t.app.http;
  if (!http) throw new Error('not serving');
  return routesOf(http);
}

/** The routes that need a credential: every one but the UI shell (outside /api) and the code trades. */
function guarded(t: TestApp) {
  return routes(t).filter(
    (route) => route.url.startsWith('/api') && !PUBLIC_API_ROUTES.has(`${route.method} ${route.url}`),
  );
}

function expectRefused(response: LightMyRequestResponse, what: string): void {
  expect(response.statusCode, what).toBe(401);
  if (response.body === '') return; // HEAD
  expect(response.json(), what).toEqual({
    error: 'unauthorized',
    message: 'Sign in first: open the link `hark start` printed, or run `hark open`',
  });
}

async function login(t: TestApp, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36') {
  const codes = await t.request({ method: 'POST', url: '/api/auth/codes' });
  expect(codes.statusCode).toBe(200);
  const { code } = codes.json() as { code: string };
  const response = await t.anonymous({
    method: 'POST',
    url: '/api/auth/login',
    payload: { code },
    headers: { 'user-agent': userAgent },
  });
  expect(response.statusCode).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'hark_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie, response, header: { cookie: `hark_session=${cookie.value}` } };
}

describe('every route needs a credential', () => {
  it('lists the routes from Fastify itself, and only the UI shell and the code trades are open', async () => {
    const t = await startTestApp();
    const open = routes(t)
      .filter((route) => !guarded(t).includes(route))
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    // The static UI shell (`/*`, with web/dist built) and the two code trades: nothing else.
    expect(open.filter((route) => !/^(GET|HEAD) \/\*$/.test(route))).toEqual([
      'POST /api/auth/login',
      'POST /api/auth/pair',
    ]);
    expect(guarded(t).length).toBeGreaterThan(20);
  });

  it('refuses every guarded route without a credential, with a wrong one, and with a forged cookie, all alike', async () => {
    const t = await startTestApp({ files: { 'secret-name.wav': { text: 'private words' } } });
    const wrongs: Record<string, Record<string, string>> = {
      none: {},
      'wrong secret': { authorization: 'Bearer not-the-secret' },
      'empty bearer': { authorization: 'Bearer ' },
      'basic auth': { authorization: 'Basic YWRtaW46YWRtaW4=' },
      'forged cookie': { cookie: `hark_session=0123456789ab.${'A'.repeat(43)}` },
      'malformed cookie': { cookie: 'hark_session=%%%' },
      'the secret as a cookie': { cookie: `hark_session=${t.authHeaders.authorization?.slice(7)}` },
    };
    for (const route of guarded(t)) {
      for (const [name, headers] of Object.entries(wrongs)) {
        const response = await t.anonymous({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        const what = `${route.method} ${route.url} with ${name}`;
        expectRefused(response, what);
        expect(response.body, what).not.toMatch(/secret-name|private|transcri/i);
      }
    }
  });

  it('refuses unknown API paths the same way, however they are spelled', async () => {
    const t = await startTestApp();
    for (const url of [
      '/api/nothing-here',
      '/api',
      '/API/queue',
      '//api/queue',
      '/%61pi/queue',
      '/api/../api/queue',
    ]) {
      expectRefused(await t.anonymous({ url }), url);
    }
  });

  it('serves the UI shell to anyone (it holds no notes)', async () => {
    const t = await startTestApp();
    for (const url of ['/', '/index.html', '/tasks']) {
      const response = await t.anonymous({ url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('lets the secret in as a bearer token', async () => {
    const t = await startTestApp();
    for (const route of guarded(t).filter((r) => r.method === 'GET' && !r.url.includes(':'))) {
      if (route.url === '/api/events') continue; // a stream: never ends
      const response = await t.request({ url: route.url });
      // In: never 401/403. (The settings and model routes answer 409 in a test app given its engine.)
      expect([401, 403], route.url).not.toContain(response.statusCode);
      expect(response.statusCode, route.url).toBeLessThan(500);
    }
  });
});

describe('login codes and sessions', () => {
  it('makes a 0600 secret at first start', async () => {
    const t = await startTestApp();
    expect(statSync(join(t.data, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('trades a code once for an HttpOnly, SameSite=Strict, Path=/ cookie', async () => {
    const t = await startTestApp();
    const { code } = (await t.request({ method: 'POST', url: '/api/auth/codes' })).json() as { code: string };
    const first = await t.anonymous({ method: 'POST', url: '/api/auth/login', payload: { code } });
    expect(first.statusCode).toBe(200);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^hark_session=[0-9a-f]{12}\.[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/; Secure/); // plain HTTP on loopback; HTTPS sets it
    const again = await t.anonymous({ method: 'POST', url: '/api/auth/login', payload: { code } });
    expect(again.statusCode).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('lets the cookie in, lists the session as current, and revokes it at once', async () => {
    const t = await startTestApp();
    const browser = await login(t);
    const other = await login(t, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Firefox/128.0');
    expect((await t.anonymous({ url: '/api/queue', headers: browser.header })).statusCode).toBe(200);

    const listed = (await t.anonymous({ url: '/api/auth/sessions', headers: browser.header })).json() as {
      sessions: { id: string; kind: string; name: string; current: boolean; created_at: number }[];
    };
    expect(listed.sessions).toHaveLength(2);
    const mine = listed.sessions.find((s) => s.current);
    expect(mine).toMatchObject({ kind: 'browser', name: 'Chrome on Linux' });
    const theirs = listed.sessions.find((s) => !s.current);
    expect(theirs).toMatchObject({ kind: 'browser', name: 'Firefox on macOS' });

    const revoked = await t.anonymous({
      method: 'DELETE',
      url: `/api/auth/sessions/${theirs?.id}`,
      headers: browser.header,
    });
    expect(revoked.statusCode).toBe(200);
    expectRefused(await t.anonymous({ url: '/api/queue', headers: other.header }), 'revoked');
    expect(
      (
        await t.anonymous({
          method: 'DELETE',
          url: `/api/auth/sessions/${theirs?.id}`,
          headers: browser.header,
        })
      ).statusCode,
    ).toBe(404);
    expect((await t.anonymous({ url: '/api/queue', headers: browser.header })).statusCode).toBe(200);
  });

  it('logs out: the cookie is cleared and refused from then on', async () => {
    const t = await startTestApp();
    const browser = await login(t);
    const out = await t.anonymous({ method: 'POST', url: '/api/auth/logout', headers: browser.header });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^hark_session=;/);
    expectRefused(await t.anonymous({ url: '/api/queue', headers: browser.header }), 'logged out');
  });

  it('keeps sessions across a restart', async () => {
    const dir = tempDir();
    const first = await startTestApp({ dir });
    const browser = await login(first);
    await first.app.stop();
    const second = await startTestApp({ dir });
    expect((await second.anonymous({ url: '/api/queue', headers: browser.header })).statusCode).toBe(200);
  });

  it('refuses a session unused for 90 days', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'), { recursive: true });
    const clock = new ManualClock(Date.now() - 91 * 24 * 3600_000);
    const { cookie } = AccessControl.open(join(dir, 'data'), clock).createSession('browser', 'Old');
    const t = await startTestApp({ dir });
    expectRefused(
      await t.anonymous({ url: '/api/queue', headers: { cookie: `hark_session=${cookie}` } }),
      'stale',
    );
  });

  it('makes login links only for the secret, not for a session', async () => {
    const t = await startTestApp();
    const browser = await login(t);
    const asked = await t.anonymous({ method: 'POST', url: '/api/auth/codes', headers: browser.header });
    expect(asked.statusCode).toBe(403);
    const made = (await t.request({ method: 'POST', url: '/api/auth/codes' })).json() as { url: string };
    expect(made.url).toMatch(new RegExp(`^http://localhost:${t.port}/\\?code=[A-Za-z0-9_-]{24}$`));
  });
});

describe('failed attempts', () => {
  it('answers wrong codes with 401 ten times a minute, then 429 with Retry-After, even for a right code', async () => {
    const t = await startTestApp();
    for (let i = 0; i < 10; i++) {
      const wrong = await t.anonymous({
        method: 'POST',
        url: '/api/auth/login',
        payload: { code: `nope-${i}` },
      });
      expect(wrong.statusCode).toBe(401);
    }
    const { code } = (await t.request({ method: 'POST', url: '/api/auth/codes' })).json() as { code: string };
    const limited = await t.anonymous({ method: 'POST', url: '/api/auth/login', payload: { code } });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    // Pairing codes count against the same address.
    const pair = await t.anonymous({
      method: 'POST',
      url: '/api/auth/pair',
      payload: { code: 'X', name: 'p' },
    });
    expect(pair.statusCode).toBe(429);
    // The bearer secret is not a guessable code: programs holding it are never slowed.
    expect((await t.request({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('answers malformed trades with 400, never 5xx', async () => {
    const t = await startTestApp();
    for (const payload of [{}, { code: 5 }, { code: '' }, { code: 'x'.repeat(500) }, 'not json']) {
      const response = await t.anonymous({
        method: 'POST',
        url: '/api/auth/login',
        payload: payload as object,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, JSON.stringify(payload)).toBeLessThan(500);
    }
  });
});

describe('pairing', () => {
  it('gives a 5-minute code with where to go, and trades it once for a device session', async () => {
    const t = await startTestApp();
    const before = Date.now();
    const pairing = (await t.request({ method: 'POST', url: '/api/pairing' })).json() as {
      code: string;
      expires_at: number;
      urls: string[];
      fingerprint: string | null;
    };
    expect(pairing.code).toMatch(/^[A-Z2-9]{10}$/);
    expect(pairing.expires_at).toBeGreaterThanOrEqual(before + 300_000);
    expect(pairing.expires_at).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(pairing.urls).toEqual([`http://localhost:${t.port}/?pair=${pairing.code}`]);
    expect(pairing.fingerprint).toBeNull();

    const paired = await t.anonymous({
      method: 'POST',
      url: '/api/auth/pair',
      payload: { code: pairing.code, name: "  Ada's phone " },
    });
    expect(paired.statusCode).toBe(200);
    expect(paired.json()).toMatchObject({ session: { kind: 'device', name: "Ada's phone", current: true } });
    const cookie = paired.cookies.find((c) => c.name === 'hark_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const device = { cookie: `hark_session=${cookie?.value}` };
    expect((await t.anonymous({ url: '/api/transcriptions', headers: device })).statusCode).toBe(200);
    // A phone cannot pair others.
    expect((await t.anonymous({ method: 'POST', url: '/api/pairing', headers: device })).statusCode).toBe(
      403,
    );
    const again = await t.anonymous({
      method: 'POST',
      url: '/api/auth/pair',
      payload: { code: pairing.code },
    });
    expect(again.statusCode).toBe(401);
    // A login code is not a pairing code.
    const { code } = (await t.request({ method: 'POST', url: '/api/auth/codes' })).json() as { code: string };
    expect((await t.anonymous({ method: 'POST', url: '/api/auth/pair', payload: { code } })).statusCode).toBe(
      401,
    );
  });
});

describe('--no-auth', () => {
  it('answers everyone, as before', async () => {
    const t = await startTestApp({ auth: false });
    expect((await t.anonymous({ url: '/api/queue' })).statusCode).toBe(200);
    const codes = (await t.anonymous({ method: 'POST', url: '/api/auth/codes' })).json() as { code: null };
    expect(codes.code).toBeNull();
    expect(
      (await t.anonymous({ method: 'POST', url: '/api/auth/login', payload: { code: 'x' } })).statusCode,
    ).toBe(409);
  });
});
