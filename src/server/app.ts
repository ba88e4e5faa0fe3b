import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { NotFound } from '../core/errors.js';
import type { ServerContext } from './context.js';
import { errorHandler } from './errors.js';
import { eventRoutes } from './routes/events.js';
import { queueRoutes } from './routes/queue.js';
import { taskRoutes } from './routes/tasks.js';
import { transcriptionRoutes } from './routes/transcriptions.js';
import { uploadRoutes } from './routes/uploads.js';
import { registerSecurity } from './security.js';

/** The built React app (npm run build:web). */
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface ServerOptions {
  host?: string | undefined;
  /** The port the app is reached on; a function, since with port 0 it is known only after listening. */
  port: () => number;
  webRoot?: string;
  logger?: boolean;
}

/** The HTTP app: the JSON API, the event stream and the web UI, on top of the services. */
export async function buildServer(ctx: ServerContext, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    // A client that trickles its request (slow loris) is cut off instead of holding a socket forever.
    requestTimeout: 10 * 60_000,
    connectionTimeout: 0,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });
  app.setErrorHandler(errorHandler);
  registerSecurity(app, { port: options.port, extraHost: options.host });
  await app.register(multipart, {
    limits: { fileSize: ctx.uploadLimitBytes, files: 100, fields: 10, parts: 110, headerPairs: 100 },
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
    await queueRoutes(api, ctx);
    await taskRoutes(api, ctx);
    await eventRoutes(api, ctx);
    await transcriptionRoutes(api, ctx);
    await uploadRoutes(api, ctx);
    api.get('/api/health', async () => ({
      ok: true,
      engine: ctx.engineName,
      recording_state: ctx.services.recording.get(),
    }));
  });

  // Any other page of the app gets index.html (the UI routes itself); unknown API paths are 404s.
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/')) {
      throw new NotFound(`${request.method} ${request.url.split('?')[0]}`);
    }
    if (!built)
      return reply.type('text/plain; charset=utf-8').send('The web UI is not built: run `npm run build`.');
    return reply.sendFile('index.html', webRoot, { cacheControl: false });
  });
  return app;
}
