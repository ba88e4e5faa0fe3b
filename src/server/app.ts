import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { NotFound } from '../core/errors.js';
import { registerGuard } from './auth/guard.js';
import { trackRoutes } from './auth/routeList.js';
import { backgroundEngine, type Control, type ServerContext, type ServerDeps } from './context.js';
import { errorHandlerFor } from './errors.js';
import { startLiveUpdates } from './live.js';
import { authRoutes, type PairingTargets } from './routes/auth.js';
import { eventRoutes } from './routes/events.js';
import { lanRoutes } from './routes/lan.js';
import { queueRoutes } from './routes/queue.js';
import { settingsRoutes } from './routes/settings.js';
import { statsRoutes } from './routes/stats.js';
import { taskRoutes } from './routes/tasks.js';
import { transcribeNowRoutes } from './routes/transcribeNow.js';
import { transcriptionRoutes } from './routes/transcriptions.js';
import { uploadRoutes } from './routes/uploads.js';
import { finiteNumbers } from './schemas.js';
import { registerSecurity } from './security.js';

/**
 * The engine in use (the queue's), its model, and why Hark runs on the offline
 * fallback if it does; for each role, and any model download under way.
 */
function engineHealth(ctx: ServerContext) {
  const hub = ctx.control?.hub;
  if (!hub) return { engine: ctx.engineName, model: null, fallback_reason: null };
  const background = hub.status('background');
  const foreground = hub.status('foreground');
  const downloads = ctx.control?.models
    .list()
    .filter((model) => model.download !== null)
    .map((model) => ({ name: model.name, ...model.download }));
  return {
    engine: background.engine ?? foreground.engine,
    model: background.model ?? foreground.model,
    fallback_reason: background.fallback_reason ?? foreground.fallback_reason,
    engines: { foreground, background },
    downloads: downloads ?? [],
  };
}

/** The built React app (npm run build:web). */
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** How long a client may take to send its request. */
export const HTTP_LIMITS = {
  /** The request line and headers, which a browser or curl sends at once. Node's default is 60 s. */
  headersTimeoutMs: 10_000,
  /** The whole request, upload included: 2 GB over a slow Wi-Fi link (with --host) fits. */
  requestTimeoutMs: 10 * 60_000,
  /** How often Node looks for requests over these limits; its default, 30 s, would let each run that much longer. */
  checkEveryMs: 1_000,
  /** How long the rest of a body is read and thrown away after an early answer (lingerUnreadBody). */
  lingerMs: 2_000,
} as const;

/**
 * An answer went out before the request's body was read to its end (an
 * upload over the size limit, a refusal). Closing the connection now, with
 * the client still sending, would reset it, and a reset throws away the
 * answer the client has not read yet: it would see a broken connection
 * instead of the 413. So the rest of the body is read and dropped for a
 * moment (a client that sees the answer stops sending), and a client that
 * goes on sending is cut off then: the body is never read to its end.
 */
function lingerUnreadBody(request: IncomingMessage): void {
  const { socket } = request;
  // (Requests injected in tests have no real socket.)
  if (request.complete || !(socket instanceof Socket) || socket.destroyed) return;
  const cutOff = setTimeout(() => socket.destroy(), HTTP_LIMITS.lingerMs);
  cutOff.unref();
  request.once('end', () => clearTimeout(cutOff));
  socket.once('close', () => clearTimeout(cutOff));
  request.resume();
}

export interface ServerOptions {
  host?: string | undefined;
  /** The port the app is reached on; a function, since with port 0 it is known only after listening. */
  port: () => number;
  webRoot?: string;
  logger?: boolean;
  /** With --lan: the Host values the HTTPS listener answers to (see security.ts). */
  lanHosts?: () => string[];
  /** Where a paired phone should go (default: this request's own origin, no fingerprint). */
  pairingTargets?: (request: FastifyRequest) => PairingTargets;
}

/** The HTTP app: the JSON API, the event stream and the web UI, on top of the services. */
export async function buildServer(deps: ServerDeps, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    // A client that trickles its request (slow loris) is cut off with a 408 instead of holding a
    // socket forever. No idle timeout on the connection itself: an answer may take minutes to
    // come (transcribe-now) and the event stream stays open.
    requestTimeout: HTTP_LIMITS.requestTimeoutMs,
    connectionTimeout: 0,
    http: {
      headersTimeout: HTTP_LIMITS.headersTimeoutMs,
      connectionsCheckingInterval: HTTP_LIMITS.checkEveryMs,
    },
    ajv: {
      customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false },
      plugins: [finiteNumbers],
    },
  });
  trackRoutes(app);
  const live = startLiveUpdates(
    deps.services.queue,
    deps.services.recording,
    deps.services.events,
    () => backgroundEngine(deps),
    deps.control ? (listener) => (deps.control as Control).settings.onChange(listener) : null,
  );
  const ctx: ServerContext = { ...deps, events: live.events, statusCache: live.statusCache };
  // Before the server waits for its connections to end: the event streams never end by themselves.
  app.addHook('preClose', async () => live.close());
  app.setErrorHandler(errorHandlerFor(ctx.services.log.child({ part: 'server' })));
  app.addHook('onResponse', async (request) => lingerUnreadBody(request.raw));
  registerSecurity(app, { port: options.port, extraHost: options.host, lanHosts: options.lanHosts });
  // Its onRequest hook reads the cookies; the guard's, added after it, runs after it.
  await app.register(cookie);
  if (ctx.access) registerGuard(app, ctx.access);
  await app.register(multipart, {
    // Up to two fields (last_modified, allow_duplicate) before each file.
    limits: { fileSize: ctx.uploadLimitBytes, files: 100, fields: 210, parts: 310, headerPairs: 100 },
  });
  const webRoot = options.webRoot ?? WEB_ROOT;
  const built = existsSync(`${webRoot}/index.html`);
  // The web UI's files; also gives reply.sendFile, which the audio route uses (with Range).
  await app.register(fastifyStatic, {
    root: built ? webRoot : process.cwd(),
    serve: built,
    wildcard: true,
    index: ['index.html'],
  });

  await app.register(async (api) => {
    await authRoutes(api, ctx, options.pairingTargets);
    await queueRoutes(api, ctx);
    await taskRoutes(api, ctx);
    await statsRoutes(api, ctx);
    await eventRoutes(api, ctx);
    await transcriptionRoutes(api, ctx);
    await uploadRoutes(api, ctx);
    await transcribeNowRoutes(api, ctx);
    await lanRoutes(api, ctx);
    await settingsRoutes(api, ctx);
    api.get('/api/health', async () => ({
      ok: true,
      ...engineHealth(ctx),
      recording_state: ctx.services.recording.get(),
      // Open event streams (pages and other clients): shows that clients that left are let go.
      event_clients: ctx.events.size,
    }));
  });

  // Any other page of the app gets index.html (the UI routes itself); unknown API paths are 404s.
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/')) {
      throw new NotFound(`${request.method} ${request.url.split('?')[0]}`);
    }
    if (!built)
      return reply.type('text/plain; charset=utf-8').send('The web UI is not built: run `npm run build`.');
    // Sent at once rather than through sendFile: this handler runs at the end of @fastify/static's
    // chain of not-found promises, each of which would otherwise wait on the response (a
    // MaxListenersExceededWarning on every page load at an app path such as /tasks).
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(readFileSync(`${webRoot}/index.html`));
  });
  return app;
}
