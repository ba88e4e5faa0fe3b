import { BadRequest } from '../../core/errors.js';
import { taskToJson } from '../../core/json.js';
import { TASK_STATUSES, type TaskStatus } from '../../core/types.js';
import type { Command } from '../command.js';
import { table, taskRows } from '../output.js';
import { withServices } from '../withServices.js';

export const tasksCommand: Command = {
  name: 'tasks',
  summary: 'List tasks, optionally of one status, a page at a time.',
  usage: `hark tasks [--status ${TASK_STATUSES.join('|')}] [--limit N] [--cursor C] [--json]`,
  options: {
    status: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const status = ctx.values.status as string | undefined;
      if (status !== undefined && !TASK_STATUSES.includes(status as TaskStatus)) {
        throw new BadRequest(`--status must be one of ${TASK_STATUSES.join(', ')}`);
      }
      const limit = Number(ctx.values.limit ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new BadRequest('--limit must be 1 to 1000');
      const page = await queue.listTasks({
        status: status as TaskStatus | undefined,
        limit,
        cursor: ctx.values.cursor as string | undefined,
      });
      if (ctx.values.json) {
        ctx.out(
          JSON.stringify(
            { tasks: page.tasks.map((t) => taskToJson(t)), next_cursor: page.nextCursor },
            null,
            2,
          ),
        );
      } else {
        ctx.out(page.tasks.length === 0 ? 'No tasks.' : table(taskRows(page.tasks)));
        if (page.nextCursor)
          ctx.out(`\nmore: hark tasks --cursor ${page.nextCursor}${status ? ` --status ${status}` : ''}`);
      }
      return 0;
    }),
};
