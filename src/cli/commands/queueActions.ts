import { displayName } from '../../core/json.js';
import type { Task } from '../../core/types.js';
import { type Command, taskIdArg } from '../command.js';
import { withServices } from '../withServices.js';

const describe = (task: Task) => `task ${task.id} (${displayName(task.audioPath, task.originalName)})`;

export const pauseCommand: Command = {
  name: 'pause',
  summary:
    'Pause the background queue (it stays paused across restarts). A running task stops and resumes later.',
  usage: 'hark pause',
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      await queue.pause('user');
      ctx.out('Queue paused.');
      return 0;
    }),
};

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Resume the background queue.',
  usage: 'hark resume',
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      await queue.resume();
      ctx.out('Queue resumed.');
      return 0;
    }),
};

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Put a failed or cancelled task back in the queue, or every failed task with --all.',
  usage: 'hark retry <task-id> | hark retry --all',
  options: { all: { type: 'boolean' } },
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      if (ctx.values.all) {
        const count = await queue.retryAllFailed();
        ctx.out(`${count} failed task(s) back in the queue.`);
        return 0;
      }
      const task = await queue.retryFailed(taskIdArg(ctx, retryCommand.usage));
      ctx.out(`Retrying ${describe(task)}.`);
      return 0;
    }),
};

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'Cancel a pending or running task.',
  usage: 'hark cancel <task-id>',
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const task = await queue.cancel(taskIdArg(ctx, cancelCommand.usage));
      ctx.out(`Cancelled ${describe(task)}.`);
      return 0;
    }),
};

export const moveToFrontCommand: Command = {
  name: 'move-to-front',
  summary: 'Make a pending task the next one to run.',
  usage: 'hark move-to-front <task-id>',
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const task = await queue.moveToFront(taskIdArg(ctx, moveToFrontCommand.usage));
      ctx.out(`${describe(task)} runs next.`);
      return 0;
    }),
};

export const clearCompletedCommand: Command = {
  name: 'clear-completed',
  summary: 'Remove completed tasks from the queue lists (their transcripts stay).',
  usage: 'hark clear-completed',
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const count = await queue.clearCompleted();
      ctx.out(`Cleared ${count} completed task(s).`);
      return 0;
    }),
};

export const clearCancelledCommand: Command = {
  name: 'clear-cancelled',
  summary: 'Remove cancelled tasks from the queue lists (their transcripts stay).',
  usage: 'hark clear-cancelled',
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const count = await queue.clearCompleted('cancelled');
      ctx.out(`Cleared ${count} cancelled task(s).`);
      return 0;
    }),
};

export const removeTaskCommand: Command = {
  name: 'rm-task',
  summary:
    'Remove one finished task (completed, failed or cancelled) from the queue lists; its transcript stays.',
  usage: 'hark rm-task <task-id>',
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const task = await queue.remove(taskIdArg(ctx, removeTaskCommand.usage));
      ctx.out(`Removed ${describe(task)}.`);
      return 0;
    }),
};
