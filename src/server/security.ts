import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HarkError } from '../core/errors.js';

export interface SecurityOptions {
  /** The port clients use; resolved after listening when it was 0. */
  port: () => number;
  /** A host given with --host, accepted besides the loopback names. */
  extraHost?: string | undefined;
  /** With --lan: the Host values of the HTTPS listener (`192.168.1.20:4477`), admitted over TLS only. */
  lanHosts?: (() => string[]) | undefined;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The Host values Hark answers to: a loopback name with its own port. */
export function allowedHosts(options: SecurityOptions): Set<string> {
  const port = options.port();
  const names = [...LOOPBACK_NAMES];
  if (options.extraHost && !['0.0.0.0', '::'].includes(options.extraHost)) {
    names.push(options.extraHost.includes(':') ? `[${options.extraHost}]` : options.extraHost);
  }
  const hosts = new Set(names.map((name) => `${name}:${port}`));
  if (port === 80) for (const name of names) hosts.add(name);
  return hosts;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Refuses requests that did not come from Hark's own page on this machine:
 * - a Host other than a loopback name with Hark's port (DNS rebinding: a
 *   site whose name resolves to 127.0.0.1 still sends its own name), or,
 *   on the LAN listener (HTTPS), other than a LAN address with its port;
 * - a state-changing request with an Origin other than Hark's own (CSRF from
 *   any page the user visits). Requests without Origin (curl, the CLI) pass.
 * And sends the security headers with every response.
 */
export function registerSecurity(app: FastifyInstance, options: SecurityOptions): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    // The LAN listener (HTTPS) answers to the LAN addresses, the loopback one (HTTP) to its own
    // names: a LAN name over plain HTTP, or a loopback name over TLS, is no page of Hark's.
    const overTls = (request.raw.socket as TLSSocket | undefined)?.encrypted === true;
    const hosts = overTls ? new Set(options.lanHosts?.() ?? []) : allowedHosts(options);
    const host = request.headers.host?.toLowerCase();
    if (!host || !hosts.has(host)) {
      throw new HarkError('forbidden', `Requests must be addressed to Hark itself (Host ${[...hosts][0]})`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && STATE_CHANGING.has(request.method)) {
      const allowed = [...hosts].map((h) => `${overTls ? 'https' : 'http'}://${h}`);
      if (!allowed.includes(origin.toLowerCase())) {
        throw new HarkError('forbidden', 'Cross-site requests are refused');
      }
    }
  });
  app.addHook('onSend', async (_request, reply: FastifyReply, payload) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'microphone=(self), camera=(), geolocation=()');
    return payload;
  });
}
