import type { FastifyInstance } from 'fastify';
import { NotFound } from '../../core/errors.js';
import { attemptToJson, taskToJson } from '../../core/json.js';
import type { ServerContext } from '../context.js';
import { integer } from '../schemas.js';

const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: integer(1, Number.MAX_SAFE_INTEGER) },
} as const;

export async function taskRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const { queue } = ctx.services;
  const schema = { params: idParams };
  type ById = { Params: { id: number } };

  app.post<ById>('/api/tasks/:id/retry', { schema }, async (request) =>
    taskToJson(await queue.retryFailed(request.params.id)),
  );
  app.post<ById>('/api/tasks/:id/cancel', { schema }, async (request) =>
    taskToJson(await queue.cancel(request.params.id)),
  );
  app.post<ById>('/api/tasks/:id/move-to-front', { schema }, async (request) =>
    taskToJson(await queue.moveToFront(request.params.id)),
  );
  app.get<ById>('/api/tasks/:id/attempts', { schema }, async (request) => {
    const task = await queue.getTask(request.params.id);
    if (!task) throw new NotFound(`Task ${request.params.id}`);
    return { attempts: (await queue.listAttempts(task.id)).map(attemptToJson) };
  });
  app.delete<ById>('/api/tasks/:id', { schema }, async (request) =>
    taskToJson(await queue.remove(request.params.id)),
  );
  app.post<{ Body: { ids: number[] } }>(
    '/api/tasks/remove',
    {
      schema: {
        body: {
          type: 'object',
          required: ['ids'],
          additionalProperties: false,
          properties: {
            ids: {
              type: 'array',
              minItems: 1,
              maxItems: 1000,
              uniqueItems: true,
              items: integer(1, Number.MAX_SAFE_INTEGER),
            },
          },
        },
      },
    },
    async (request) => ({ removed: await queue.removeMany(request.body.ids) }),
  );
  app.post('/api/tasks/retry-failed', async () => ({ retried: await queue.retryAllFailed() }));
  app.post('/api/tasks/cancel-pending', async () => ({ cancelled: await queue.cancelAllPending() }));
  app.post('/api/tasks/clear-completed', async () => ({ cleared: await queue.clearCompleted() }));
  app.post('/api/tasks/clear-cancelled', async () => ({
    cleared: await queue.clearCompleted('cancelled'),
  }));
}
