import { isInstanceRunning, readInstanceInfo } from '../../app/instanceLock.js';
import { type QueueStatusJson, queueStatusToJson } from '../../core/json.js';
import type { Command } from '../command.js';
import { statusText } from '../output.js';
import { appAuthHeaders } from '../runningApp.js';
import { withServices } from '../withServices.js';

export const statusCommand: Command = {
  name: 'status',
  summary:
    'Show the queue: paused or running, the task in progress, counts, the total time left, and what runs next.',
  usage: 'hark status [--json] [--limit N]',
  options: { json: { type: 'boolean' }, limit: { type: 'string' } },
  run: (ctx) =>
    withServices(ctx, async ({ queue, config }) => {
      const limit = Number(ctx.values.limit ?? 10);
      const [status, totalLeft] = await Promise.all([
        queue.getQueueStatus({ status: 'pending', limit: Number.isFinite(limit) ? limit : 10 }),
        runningAppTimeLeft(config.dataDir),
      ]);
      if (ctx.values.json)
        ctx.out(JSON.stringify({ ...queueStatusToJson(status), eta_total_seconds: totalLeft }, null, 2));
      else ctx.out(statusText(status, null, totalLeft));
      return 0;
    }),
};

/**
 * The total time left as the running app reckons it (its engine and model's measured speed,
 * its running task's live estimate): the figure its web strip shows. Null when no app runs
 * on this data folder or it does not answer within two seconds.
 */
async function runningAppTimeLeft(dataDir: string): Promise<number | null> {
  const url = readInstanceInfo(dataDir)?.url;
  try {
    if (!url || !isInstanceRunning(dataDir)) return null;
    const response = await fetch(`${url}/api/queue?status=pending&limit=1`, {
      headers: appAuthHeaders(dataDir),
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return null;
    return ((await response.json()) as QueueStatusJson).eta_total_seconds;
  } catch {
    return null;
  }
}
