import { queueStatusToJson } from '../../core/json.js';
import type { Command } from '../command.js';
import { statusText } from '../output.js';
import { withServices } from '../withServices.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the queue: paused or running, the task in progress, counts, and what runs next.',
  usage: 'hark status [--json] [--limit N]',
  options: { json: { type: 'boolean' }, limit: { type: 'string' } },
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const limit = Number(ctx.values.limit ?? 10);
      const status = await queue.getQueueStatus({
        status: 'pending',
        limit: Number.isFinite(limit) ? limit : 10,
      });
      if (ctx.values.json) ctx.out(JSON.stringify(queueStatusToJson(status), null, 2));
      else ctx.out(statusText(status, null));
      return 0;
    }),
};
