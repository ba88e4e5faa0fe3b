import type { FastifyInstance } from 'fastify';
import { InvalidState } from '../../core/errors.js';
import type { Control, ServerContext } from '../context.js';

/** The Settings page's API: GET the settings with where each comes from, PUT some of them. */
export async function settingsRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const control = (): Control => {
    if (!ctx.control)
      throw new InvalidState('Settings are not available in this Hark (the engine was given by the caller)');
    return ctx.control;
  };

  app.get('/api/settings', async () => ({ settings: control().settings.all() }));

  app.put<{ Body: Record<string, unknown> }>(
    '/api/settings',
    { schema: { body: { type: 'object', maxProperties: 20 } } },
    async (request) => {
      const settings = await control().settings.update(request.body);
      return { settings };
    },
  );

  app.get('/api/models', async () => {
    const { models, hub } = control();
    const inUse = new Set([hub.status('foreground').model, hub.status('background').model]);
    return {
      models: models.list().map((model) => ({
        ...model,
        in_use: [...inUse].some((path) => path?.endsWith(`/ggml-${model.name}.bin`)),
      })),
    };
  });

  const nameParams = {
    type: 'object',
    properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' } },
    required: ['name'],
  } as const;

  app.post<{ Params: { name: string } }>(
    '/api/models/:name/download',
    { schema: { params: nameParams } },
    async (request, reply) => {
      const download = control().models.download(request.params.name);
      return reply.code(202).send({ name: request.params.name, download });
    },
  );

  app.post<{ Params: { name: string } }>(
    '/api/models/:name/cancel',
    { schema: { params: nameParams } },
    async (request) => {
      const { models } = control();
      await models.cancel(request.params.name);
      return { name: request.params.name, download: models.state(request.params.name) };
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/models/:name',
    { schema: { params: nameParams } },
    async (request) => {
      const { models, hub } = control();
      const { name } = request.params;
      for (const role of ['foreground', 'background'] as const) {
        if (hub.status(role).model?.endsWith(`/ggml-${name}.bin`)) {
          throw new InvalidState(
            `${name} is in use for ${role === 'foreground' ? 'recordings' : 'background work'}: choose another model first`,
          );
        }
      }
      return { name, removed: await models.remove(name) };
    },
  );
}
