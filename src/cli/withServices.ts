import { silentLog } from '../services/log.js';
import { type HarkServices, openServices } from '../services/services.js';
import type { CommandContext } from './command.js';

/** Opens the store for a queue command (no lock: it works beside a running app) and closes it after. */
export async function withServices<T>(
  ctx: CommandContext,
  fn: (services: HarkServices) => Promise<T>,
): Promise<T> {
  const services = await openServices(ctx.config(), { log: silentLog });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
