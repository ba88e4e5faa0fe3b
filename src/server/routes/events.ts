import type { FastifyInstance } from 'fastify';
import { cutWhenRevoked } from '../auth/guard.js';
import type { ServerContext } from '../context.js';

/** `GET /api/events`: the live stream every page keeps open (see sse.ts). */
export async function eventRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/api/events', async (request, reply) => {
    reply.hijack();
    cutWhenRevoked(request, reply.raw);
    await ctx.events.add(reply.raw);
    request.raw.on('close', () => reply.raw.end());
  });
}
