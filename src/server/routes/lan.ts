import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

export async function lanRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  /** Whether phones can reach Hark (`hark start --lan`), where, and the certificate to compare. */
  app.get('/api/lan', async () => ({
    enabled: Boolean(ctx.lan),
    urls: ctx.lan?.urls() ?? [],
    fingerprint: ctx.lan?.fingerprint ?? null,
  }));
}
