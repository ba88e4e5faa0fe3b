import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../tests/helpers/manualClock.js';
import { LOGIN_CODE_TTL_MS, PAIRING_CODE_TTL_MS, SESSION_IDLE_MS } from '../../core/access.js';
import { AccessControl } from './accessControl.js';
import { loadOrCreateSecret, readSecret } from './secret.js';

let data: string;
let clock: ManualClock;
beforeEach(() => {
  data = mkdtempSync(join(tmpdir(), 'hark-access-'));
  clock = new ManualClock();
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

describe('the install secret', () => {
  it('is made once, 0600, and read back the same', () => {
    const secret = loadOrCreateSecret(data);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(data, 'secret')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(data)).toBe(secret);
    expect(readFileSync(join(data, 'secret'), 'utf8')).toBe(`${secret}\n`);
  });

  it('tightens a secret file others could read', () => {
    writeFileSync(join(data, 'secret'), 'abc\n', { mode: 0o644 });
    expect(readSecret(data)).toBe('abc');
    expect(statSync(join(data, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('leaves no temporary file behind', () => {
    loadOrCreateSecret(data);
    expect(readFileSync(join(data, 'secret'), 'utf8')).not.toBe('');
    expect(readdirSync(data)).toEqual(['secret']);
  });
});

describe('AccessControl', () => {
  it('knows the secret and nothing else', () => {
    const access = AccessControl.open(data, clock);
    expect(access.isSecret(readSecret(data) ?? '')).toBe(true);
    expect(access.isSecret('wrong')).toBe(false);
    expect(access.isSecret('')).toBe(false);
  });

  it('takes a login code once, and not after 10 minutes', () => {
    const access = AccessControl.open(data, clock);
    const first = access.issueCode('login');
    expect(first.expiresAt).toBe(clock.now() + LOGIN_CODE_TTL_MS);
    expect(access.redeemCode('login', first.code)).toBe(true);
    expect(access.redeemCode('login', first.code)).toBe(false);
    const late = access.issueCode('login');
    clock.advance(LOGIN_CODE_TTL_MS);
    expect(access.redeemCode('login', late.code)).toBe(false);
  });

  it('keeps login and pairing codes apart; pairing codes live 5 minutes and may be typed loosely', () => {
    const access = AccessControl.open(data, clock);
    const pair = access.issueCode('pair');
    expect(pair.code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(access.redeemCode('login', pair.code)).toBe(false);
    const typed = `${pair.code.slice(0, 5).toLowerCase()}-${pair.code.slice(5)}`;
    expect(access.redeemCode('pair', typed)).toBe(true);
    const late = access.issueCode('pair');
    clock.advance(PAIRING_CODE_TTL_MS - 1);
    expect(access.redeemCode('pair', late.code)).toBe(true);
  });

  it('proves sessions by their cookie, keeps them across a restart, and revokes them at once', () => {
    const access = AccessControl.open(data, clock);
    const { cookie, session } = access.createSession('browser', 'Chrome on Linux');
    expect(access.authenticate(cookie)?.id).toBe(session.id);
    expect(readFileSync(join(data, 'sessions.json'), 'utf8')).not.toContain(cookie.split('.')[1]);
    expect(statSync(join(data, 'sessions.json')).mode & 0o777).toBe(0o600);

    const restarted = AccessControl.open(data, clock);
    expect(restarted.authenticate(cookie)?.name).toBe('Chrome on Linux');
    const forged = `${session.id}.${'A'.repeat(43)}`;
    expect(restarted.authenticate(forged)).toBeNull();
    expect(restarted.authenticate('garbage')).toBeNull();

    expect(restarted.revoke(session.id)).toBe(true);
    expect(restarted.authenticate(cookie)).toBeNull();
    expect(restarted.revoke(session.id)).toBe(false);
    expect(AccessControl.open(data, clock).authenticate(cookie)).toBeNull();
  });

  it('forgets a session unused for 90 days', () => {
    const access = AccessControl.open(data, clock);
    const { cookie } = access.createSession('device', 'Phone');
    clock.advance(SESSION_IDLE_MS - 1);
    expect(access.authenticate(cookie)).not.toBeNull();
    clock.advance(SESSION_IDLE_MS);
    expect(access.authenticate(cookie)).toBeNull();
    expect(access.listSessions()).toEqual([]);
  });

  it('writes last use at most once a minute, and on flush', () => {
    const access = AccessControl.open(data, clock);
    const { cookie, session } = access.createSession('browser', 'B');
    const onDisk = () => AccessControl.open(data, clock).listSessions()[0]?.lastUsedAt;
    clock.advance(30_000);
    access.authenticate(cookie);
    expect(onDisk()).toBe(session.createdAt);
    clock.advance(30_000);
    access.authenticate(cookie);
    expect(onDisk()).toBe(session.createdAt + 60_000);
    clock.advance(1_000);
    access.authenticate(cookie);
    access.flush();
    expect(onDisk()).toBe(session.createdAt + 61_000);
  });

  it('refuses an address after 10 failures a minute, then lets it try again', () => {
    const access = AccessControl.open(data, clock);
    for (let i = 0; i < 10; i++) {
      expect(access.attemptAllowed('10.0.0.1').allowed).toBe(true);
      access.recordFailure('10.0.0.1');
    }
    expect(access.attemptAllowed('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(access.attemptAllowed('10.0.0.2').allowed).toBe(true);
    clock.advance(60_000);
    expect(access.attemptAllowed('10.0.0.1').allowed).toBe(true);
  });

  it('treats a broken sessions file as no sessions', () => {
    writeFileSync(join(data, 'sessions.json'), '{not json');
    expect(AccessControl.open(data, clock).listSessions()).toEqual([]);
  });
});
