import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Credentials for the tests' clients. Every API request needs one (issue 13):
 * programs send the install's secret, `<data>/secret`, as a bearer token;
 * browsers trade a one-time code for the `hark_session` cookie.
 *
 * The helpers that start a Hark (testApp.ts, harkServer.ts) record its data
 * folder by port here, so the clients that only know a port or a URL
 * (SseClient, openHark, withCredential for raw bytes) find the credential themselves.
 */

/** The install's secret: written by Hark at its first start with a server. */
export function secretOf(dataDir: string): string {
  return readFileSync(join(dataDir, 'secret'), 'utf8').trim();
}

/** The headers that let a program in: `{ authorization: 'Bearer <secret>' }`. */
export function authHeaders(dataDir: string): { authorization: string } {
  return { authorization: `Bearer ${secretOf(dataDir)}` };
}

const dataDirByPort = new Map<number, string>();

/** Remembers which data folder the Hark on `port` uses (the starting helpers call it). */
export function rememberHark(port: number, dataDir: string): void {
  dataDirByPort.set(port, dataDir);
}

/** The data folder of the Hark a helper started on `port`, if any. */
export function dataDirOfPort(port: number): string | undefined {
  return dataDirByPort.get(port);
}

/** authHeaders for the Hark a helper started on `port` ({} when it knows none, or it runs --no-auth). */
export function authHeadersForPort(port: number): Record<string, string> {
  const data = dataDirByPort.get(port);
  if (!data) return {};
  try {
    return authHeaders(data);
  } catch {
    return {};
  }
}

/**
 * True when the headers bring an Authorization of their own. A Cookie does not count: the
 * helpers still add the bearer beside it (a test of cookies alone uses testApp's `anonymous`).
 */
export function hasCredential(headers: Record<string, unknown> | undefined): boolean {
  if (!headers) return false;
  return Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
}

/**
 * Raw request bytes with the credential's header line added after the
 * request line (for rawExchange): `GET / HTTP/1.1\r\n` + `Authorization: …\r\n` + the rest.
 */
export function withCredential(port: number, bytes: string): string {
  const header = authHeadersForPort(port).authorization;
  if (!header) return bytes;
  const end = bytes.indexOf('\r\n');
  if (end < 0) return bytes;
  return `${bytes.slice(0, end + 2)}Authorization: ${header}\r\n${bytes.slice(end + 2)}`;
}

/** A fresh one-time login code from the Hark at `url` (as `hark open` makes one); null with --no-auth. */
export async function loginCode(url: string, dataDir: string): Promise<string | null> {
  const response = await fetch(`${url}/api/auth/codes`, {
    method: 'POST',
    headers: authHeadersOrNone(dataDir),
  });
  const body = (await response.json()) as { code?: string | null };
  if (!response.ok || body.code === undefined)
    throw new Error(`no login code from ${url}: ${response.status}`);
  return body.code;
}

function authHeadersOrNone(dataDir: string): Record<string, string> {
  try {
    return authHeaders(dataDir);
  } catch {
    return {};
  }
}

/** A browser session's cookie value, got as a page gets it: a fresh code traded at /api/auth/login. */
export async function sessionCookie(url: string, dataDir: string): Promise<string> {
  const code = await loginCode(url, dataDir);
  if (code === null) throw new Error(`${url} runs with --no-auth: there is no session to get`);
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const cookie = /hark_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (!response.ok || !cookie) throw new Error(`login at ${url} failed: ${response.status}`);
  return cookie;
}
