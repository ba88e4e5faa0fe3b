import { BadRequest } from '../core/errors.js';
import { computeStatistics, localDayOf, localEndOfDay, type Statistics } from '../core/stats.js';
import type { HarkServices } from './services.js';

export const DEFAULT_STATS_DAYS = 30;
export const MAX_STATS_DAYS = 366;

/** The statistics over the last `days` local days, today included. */
export async function readStatistics(
  services: Pick<HarkServices, 'queue' | 'clock'>,
  days: number = DEFAULT_STATS_DAYS,
): Promise<Statistics> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_STATS_DAYS) {
    throw new BadRequest(`days must be a whole number from 1 to ${MAX_STATS_DAYS} (got ${days})`);
  }
  const to = services.clock.now();
  const firstDay = new Date(to);
  firstDay.setHours(0, 0, 0, 0);
  firstDay.setDate(firstDay.getDate() - (days - 1));
  const from = firstDay.getTime();
  const history = await services.queue.historySince(from);
  return computeStatistics({ from, to, dayOf: localDayOf, endOfDay: localEndOfDay, ...history });
}
