import type { FastifyInstance } from 'fastify';
import { statsToJson } from '../../core/json.js';
import { DEFAULT_STATS_DAYS, MAX_STATS_DAYS, readStatistics } from '../../services/statistics.js';
import type { ServerContext } from '../context.js';
import { integer } from '../schemas.js';

export async function statsRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Querystring: { days?: number } }>(
    '/api/stats',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { days: integer(1, MAX_STATS_DAYS) },
        },
      },
    },
    async (request) =>
      statsToJson(await readStatistics(ctx.services, request.query.days ?? DEFAULT_STATS_DAYS)),
  );
}
