/**
 * The rules of access, without I/O: how long a code lives, when a session has
 * gone stale, when an address has failed too often, and how credentials are
 * read from a request's headers. services/auth/ keeps the state; server/auth/
 * asks these.
 */

/** A login code (`hark start`, `hark open`) works once, within this time. */
export const LOGIN_CODE_TTL_MS = 10 * 60_000;
/** A pairing code (shown as a QR code to a phone) works once, within this time. */
export const PAIRING_CODE_TTL_MS = 5 * 60_000;
/** A session not used for this long is refused (and forgotten). */
export const SESSION_IDLE_MS = 90 * 24 * 3600_000;
/** last_used_at is written to disk at most this often per session (it is kept in memory at once). */
export const LAST_USED_WRITE_MS = 60_000;

export const SESSION_COOKIE = 'hark_session';

export type SessionKind = 'browser' | 'device';
export type CodeKind = 'login' | 'pair';

export function codeTtlMs(kind: CodeKind): number {
  return kind === 'login' ? LOGIN_CODE_TTL_MS : PAIRING_CODE_TTL_MS;
}

/** True once `now` has reached `expiresAt` (a code issued with a TTL of 0 never works). */
export function isExpired(expiresAt: number, now: number): boolean {
  return now >= expiresAt;
}

export function sessionIsStale(lastUsedAt: number, now: number): boolean {
  return now - lastUsedAt >= SESSION_IDLE_MS;
}

/** Whether to write a session's new last use to disk (not on every request). */
export function lastUseWorthWriting(writtenLastUsedAt: number, now: number): boolean {
  return now - writtenLastUsedAt >= LAST_USED_WRITE_MS;
}

export interface RateRule {
  /** Failed attempts allowed within the window; the next one is refused. */
  limit: number;
  windowMs: number;
}

/** Wrong login and pairing codes: 10 a minute per address. */
export const FAILED_CODE_RULE: RateRule = { limit: 10, windowMs: 60_000 };

/** The failures still inside the window (the ones that count), oldest first. */
export function recentFailures(failures: readonly number[], now: number, rule: RateRule): number[] {
  return failures.filter((at) => now - at < rule.windowMs);
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * May an address try a code now, given its failures? Once `limit` failures
 * lie inside the window, no: until the oldest of them leaves it.
 */
export function rateDecision(failures: readonly number[], now: number, rule: RateRule): RateDecision {
  const recent = recentFailures(failures, now, rule);
  if (recent.length < rule.limit) return { allowed: true };
  const oldest = recent[recent.length - rule.limit] ?? now;
  const waitMs = oldest + rule.windowMs - now;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  return match?.[1] ?? null;
}

/** A session cookie's value is `<id>.<token>`: the id finds the session, the token proves it. */
export function splitSessionCookie(value: string | undefined): { id: string; token: string } | null {
  if (!value) return null;
  const match = /^([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  return match?.[1] && match[2] ? { id: match[1], token: match[2] } : null;
}

/** A device's name as the phone sent it: one line, trimmed, at most 60 characters. */
export function deviceName(raw: string): string {
  const name = raw
    .replace(/[\p{C}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
  return name || 'Unnamed device';
}

/** A browser session's name, from its User-Agent: "Firefox on Linux", say. */
export function browserName(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser =
    [
      ['Edge', /Edg\//],
      ['Firefox', /Firefox\//],
      ['Chrome', /(?:Chrome|Chromium|CriOS)\//],
      ['Safari', /Safari\//],
      ['curl', /^curl\//],
    ].find(([, test]) => (test as RegExp).test(ua))?.[0] ?? 'Browser';
  const system =
    [
      ['Android', /Android/],
      ['iOS', /iPhone|iPad|iPod/],
      ['Windows', /Windows/],
      ['macOS', /Mac OS X|Macintosh/],
      ['Linux', /Linux|X11/],
    ].find(([, test]) => (test as RegExp).test(ua))?.[0] ?? null;
  return system ? `${browser} on ${system}` : String(browser);
}
