import type { FastifyInstance } from 'fastify';
import { TASK_STATUSES, type TaskStatus } from '../../core/types.js';
import type { ServerContext } from '../context.js';
import { backgroundEngine } from '../context.js';
import { queueStatusBody } from '../queueStatus.js';
import { integer } from '../schemas.js';

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...TASK_STATUSES] },
    limit: integer(1, 500, 50),
    cursor: { type: 'string', maxLength: 512, pattern: '^[A-Za-z0-9_-]*$' },
  },
} as const;

export async function queueRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { queue, recording } = ctx.services;

  app.get<{ Querystring: { status?: TaskStatus; limit: number; cursor?: string } }>(
    '/api/queue',
    { schema: { querystring: pageQuery } },
    async (request, reply) => {
      const body = await queueStatusBody(
        queue,
        recording,
        ctx.statusCache,
        request.query,
        backgroundEngine(ctx),
      );
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.post('/api/queue/pause', async () => {
    const state = await queue.pause('user');
    return { is_paused: state.paused, pause_reason: state.reason };
  });

  app.post('/api/queue/resume', async () => {
    const state = await queue.resume();
    return { is_paused: state.paused, pause_reason: state.reason };
  });
}
