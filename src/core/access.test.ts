import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  browserName,
  codeTtlMs,
  deviceName,
  FAILED_CODE_RULE,
  isExpired,
  lastUseWorthWriting,
  rateDecision,
  recentFailures,
  SESSION_IDLE_MS,
  sessionIsStale,
  splitSessionCookie,
} from './access.js';

describe('codes and sessions in time', () => {
  it('gives login codes 10 minutes and pairing codes 5', () => {
    expect(codeTtlMs('login')).toBe(600_000);
    expect(codeTtlMs('pair')).toBe(300_000);
  });

  it('expires a code at its expiry, not a millisecond later', () => {
    expect(isExpired(1000, 999)).toBe(false);
    expect(isExpired(1000, 1000)).toBe(true);
  });

  it('finds a session unused for 90 days stale', () => {
    expect(sessionIsStale(0, SESSION_IDLE_MS - 1)).toBe(false);
    expect(sessionIsStale(0, SESSION_IDLE_MS)).toBe(true);
  });

  it('writes a last use at most once a minute', () => {
    expect(lastUseWorthWriting(0, 59_999)).toBe(false);
    expect(lastUseWorthWriting(0, 60_000)).toBe(true);
  });
});

describe('rateDecision', () => {
  const rule = FAILED_CODE_RULE;
  const failures = (count: number, at: number) => Array.from({ length: count }, (_, i) => at + i);

  it('allows nine and ten failures, refuses the eleventh attempt', () => {
    expect(rateDecision(failures(9, 0), 100, rule)).toEqual({ allowed: true });
    expect(rateDecision(failures(10, 0), 100, rule).allowed).toBe(false);
  });

  it('says to wait until the oldest counted failure leaves the window', () => {
    const decision = rateDecision(failures(10, 0), 30_000, rule);
    expect(decision).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });

  it('allows again once the window has passed', () => {
    expect(rateDecision(failures(10, 0), 60_000, rule)).toEqual({ allowed: true });
  });

  it('never says to wait less than a second', () => {
    expect(rateDecision(failures(10, 0), 59_999, rule)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('forgets failures outside the window', () => {
    expect(recentFailures([0, 10, 59_000, 61_000], 70_000, rule)).toEqual([59_000, 61_000]);
  });
});

describe('reading credentials', () => {
  it('reads a bearer token, and nothing else', () => {
    expect(bearerToken('Bearer abc_DEF-1')).toBe('abc_DEF-1');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('splits a session cookie into its id and token, refusing any other shape', () => {
    const token = 'a'.repeat(43);
    expect(splitSessionCookie(`0123456789ab.${token}`)).toEqual({ id: '0123456789ab', token });
    expect(splitSessionCookie(`0123456789ab.${token}x`)).toBeNull();
    expect(splitSessionCookie('0123456789ab')).toBeNull();
    expect(splitSessionCookie(`../../etc.${token}`)).toBeNull();
    expect(splitSessionCookie(undefined)).toBeNull();
  });
});

describe('names', () => {
  it('keeps a device name to one trimmed line of at most 60 characters', () => {
    expect(deviceName('  My\nphone\t ')).toBe('My phone');
    expect(deviceName('x'.repeat(100))).toHaveLength(60);
    expect(deviceName('\u0000\u0007 ')).toBe('Unnamed device');
  });

  it('names a browser session from its user agent', () => {
    expect(browserName('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox on Linux',
    );
    expect(
      browserName(
        'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome on Android');
    expect(
      browserName(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(browserName(undefined)).toBe('Browser');
  });
});
