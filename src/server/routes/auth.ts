import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { browserName, type CodeKind, deviceName, SESSION_COOKIE } from '../../core/access.js';
import { HarkError, InvalidState, NotFound, RateLimited, Unauthorized } from '../../core/errors.js';
import type { AccessControl } from '../../services/auth/accessControl.js';
import type { SessionRecord } from '../../services/auth/sessionFile.js';
import { credentialOf } from '../auth/guard.js';
import type { ServerContext } from '../context.js';

export interface SessionJson {
  id: string;
  kind: 'browser' | 'device';
  name: string;
  created_at: number;
  last_used_at: number;
  /** The session this request came with. */
  current: boolean;
}

function sessionJson(session: SessionRecord, currentId: string | null): SessionJson {
  return {
    id: session.id,
    kind: session.kind,
    name: session.name,
    created_at: session.createdAt,
    last_used_at: session.lastUsedAt,
    current: session.id === currentId,
  };
}

/** A year and a month (Chromium's longest): the session ends when revoked or unused for 90 days. */
const COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600;

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string): void {
  void reply.setCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
    maxAge: COOKIE_MAX_AGE_SECONDS,
  });
}

function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
  });
}

function currentSessionId(request: FastifyRequest): string | null {
  const credential = credentialOf(request);
  return credential?.kind === 'session' ? credential.session.id : null;
}

/** Codes are guessed from one address at most 10 times a minute; a right code after that waits too. */
function redeemOrRefuse(access: AccessControl, request: FastifyRequest, kind: CodeKind, code: string): void {
  const decision = access.attemptAllowed(request.ip);
  if (!decision.allowed) throw new RateLimited(decision.retryAfterSeconds);
  if (access.redeemCode(kind, code)) return;
  access.recordFailure(request.ip);
  throw new Unauthorized(
    kind === 'login'
      ? 'This sign-in link was used already or has expired: run `hark open` for a new one'
      : 'This pairing code was used already or has expired: show a new one on the computer',
  );
}

const NO_AUTH = 'Hark is running with --no-auth: there is nothing to sign in to';

const codeBody = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

const pairBody = {
  type: 'object',
  required: ['code'],
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 200 },
    name: { type: 'string', maxLength: 200 },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

/** What the desktop shows a phone to pair it: where to go, and the certificate to expect there. */
export interface PairingTargets {
  /** Origins a phone can reach (the phone lane adds the HTTPS LAN ones). */
  origins: string[];
  /** The HTTPS certificate's SHA-256 fingerprint, or null while there is none. */
  fingerprint: string | null;
}

function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Sign-in, sessions and pairing (see the Auth contract in the README's Security section). */
export async function authRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  pairingTargets?: (request: FastifyRequest) => PairingTargets,
): Promise<void> {
  const access = ctx.access;
  const requireAccess = (): AccessControl => {
    if (!access) throw new InvalidState(NO_AUTH);
    return access;
  };
  /** Only the secret (the CLI, scripts) and desktop browsers hand out codes; a paired phone cannot pair others. */
  const requireDesk = (request: FastifyRequest) => {
    const credential = credentialOf(request);
    if (credential?.kind === 'session' && credential.session.kind === 'device')
      throw new HarkError('forbidden', 'Pair new devices from the computer Hark runs on');
  };

  app.post<{ Body: { code: string } }>(
    '/api/auth/login',
    { schema: { body: codeBody } },
    async (request, reply) => {
      const control = requireAccess();
      redeemOrRefuse(control, request, 'login', request.body.code);
      const { cookie, session } = control.createSession(
        'browser',
        browserName(request.headers['user-agent']),
      );
      setSessionCookie(request, reply, cookie);
      return { session: sessionJson(session, session.id) };
    },
  );

  app.post<{ Body: { code: string; name?: string } }>(
    '/api/auth/pair',
    { schema: { body: pairBody } },
    async (request, reply) => {
      const control = requireAccess();
      redeemOrRefuse(control, request, 'pair', request.body.code);
      const name = deviceName(request.body.name ?? browserName(request.headers['user-agent']));
      const { cookie, session } = control.createSession('device', name);
      setSessionCookie(request, reply, cookie);
      return { session: sessionJson(session, session.id) };
    },
  );

  app.post('/api/auth/logout', async (request, reply) => {
    const id = currentSessionId(request);
    if (access && id) access.revoke(id);
    clearSessionCookie(request, reply);
    return { ok: true };
  });

  app.get('/api/auth/sessions', async (request) => {
    const current = currentSessionId(request);
    return { sessions: (access?.listSessions() ?? []).map((session) => sessionJson(session, current)) };
  });

  app.delete<{ Params: { id: string } }>(
    '/api/auth/sessions/:id',
    { schema: { params: idParams } },
    async (request, reply) => {
      const control = requireAccess();
      if (!control.revoke(request.params.id)) throw new NotFound(`Session ${request.params.id}`);
      if (request.params.id === currentSessionId(request)) clearSessionCookie(request, reply);
      return { ok: true };
    },
  );

  /** A fresh login link (`hark open` asks with the secret). */
  app.post('/api/auth/codes', async (request) => {
    const credential = credentialOf(request);
    if (access && credential?.kind !== 'secret')
      throw new HarkError('forbidden', 'Login links are made with the install secret (`hark open`)');
    if (!access) return { code: null, expires_at: null, url: `${ownOrigin(request)}/` };
    const issued = access.issueCode('login');
    return {
      code: issued.code,
      expires_at: issued.expiresAt,
      url: `${ownOrigin(request)}/?code=${issued.code}`,
    };
  });

  app.post('/api/pairing', async (request) => {
    const control = requireAccess();
    requireDesk(request);
    const targets = pairingTargets?.(request) ?? { origins: [ownOrigin(request)], fingerprint: null };
    const issued = control.issueCode('pair');
    return {
      code: issued.code,
      expires_at: issued.expiresAt,
      urls: targets.origins.map((origin) => `${origin}/?pair=${issued.code}`),
      fingerprint: targets.fingerprint,
    };
  });
}
