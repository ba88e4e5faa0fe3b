import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, SESSION_COOKIE } from '../../core/access.js';
import { Unauthorized } from '../../core/errors.js';
import type { AccessControl } from '../../services/auth/accessControl.js';
import type { SessionRecord } from '../../services/auth/sessionFile.js';

/** Who a request proved to be: the install's secret (a program, the CLI) or a session. */
export type Credential = { kind: 'secret' } | { kind: 'session'; session: SessionRecord };

/**
 * The routes anyone may call: trading a code for a session. Everything else
 * under /api (the JSON API, the event stream, the audio files) needs a
 * credential; outside /api is the static UI shell, which holds no notes.
 */
export const PUBLIC_API_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/auth/login',
  'POST /api/auth/pair',
]);

const credentials = new WeakMap<FastifyRequest, Credential>();
/** The guard's open streams by session, for the requests it let in (see cutWhenRevoked). */
const streamsOf = new WeakMap<FastifyRequest, Map<string, Set<ServerResponse>>>();

/** The credential the guard accepted for this request (null with --no-auth). */
export function credentialOf(request: FastifyRequest): Credential | null {
  return credentials.get(request) ?? null;
}

/** The path as a router could read it: decoded, any case, slashes collapsed. */
function looksLikeApi(url: string): boolean {
  let path = url.split('?')[0] ?? '';
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not valid percent-encoding: judged as sent.
  }
  path = path.toLowerCase().replace(/[\\/]+/g, '/');
  return path === '/api' || path.startsWith('/api/');
}

export function needsCredential(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route !== undefined && PUBLIC_API_ROUTES.has(`${request.method} ${route}`)) return false;
  // By the route matched, and by the path too: an unknown API path (a 404 to be) is refused
  // alike, so that a caller without a credential cannot even tell which routes exist.
  return route?.startsWith('/api') === true || looksLikeApi(request.url);
}

function credentialFrom(request: FastifyRequest, access: AccessControl): Credential | null {
  const token = bearerToken(request.headers.authorization);
  if (token !== null && access.isSecret(token)) return { kind: 'secret' };
  const session = access.authenticate(request.cookies[SESSION_COOKIE]);
  return session ? { kind: 'session', session } : null;
}

/**
 * Refuses, with the same 401 whatever was wrong (nothing, a wrong secret, an
 * unknown, expired or revoked session), every request that needs a
 * credential and lacks one. Runs after the Host and Origin checks and after
 * @fastify/cookie has read the cookies.
 */
export function registerGuard(app: FastifyInstance, access: AccessControl): void {
  const streams = new Map<string, Set<ServerResponse>>();
  // Revocation takes effect at once: a stream opened before it is cut, not left to run.
  access.onRevoked((id) => {
    for (const response of streams.get(id) ?? []) response.destroy();
    streams.delete(id);
  });
  app.addHook('onRequest', async (request) => {
    if (!needsCredential(request)) return;
    const credential = credentialFrom(request, access);
    if (!credential) throw new Unauthorized();
    credentials.set(request, credential);
    streamsOf.set(request, streams);
  });
}

/** A response that stays open (the event stream) is cut when the session it came with ends. */
export function cutWhenRevoked(request: FastifyRequest, response: ServerResponse): void {
  const credential = credentialOf(request);
  const streams = streamsOf.get(request);
  if (credential?.kind !== 'session' || !streams) return;
  const id = credential.session.id;
  const open = streams.get(id) ?? new Set<ServerResponse>();
  streams.set(id, open);
  open.add(response);
  response.once('close', () => {
    open.delete(response);
    if (open.size === 0 && streams.get(id) === open) streams.delete(id);
  });
}
