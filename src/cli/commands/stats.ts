import { BadRequest } from '../../core/errors.js';
import { statsToJson } from '../../core/json.js';
import type { Statistics } from '../../core/stats.js';
import { DEFAULT_STATS_DAYS, readStatistics } from '../../services/statistics.js';
import type { Command } from '../command.js';
import { formatSeconds, table } from '../output.js';
import { withServices } from '../withServices.js';

/** The days with anything in them, the total, and speed and failures, as a few small tables. */
export function statsText(stats: Statistics): string {
  const busy = stats.days.filter(
    (d) => d.audioSeconds > 0 || d.completed + d.failed + d.retried + d.cancelled > 0 || d.queueLength > 0,
  );
  const lines = [`Transcribed in all: ${formatSeconds(stats.totalAudioSeconds)} of audio.`];
  if (busy.length === 0) {
    lines.push(`Nothing happened in the last ${stats.days.length} day(s).`);
    return lines.join('\n');
  }
  lines.push(
    '',
    table([
      ['day', 'audio', 'done', 'failed', 'retried', 'cancelled', 'queued', 'gave way'],
      ...busy.map((d) => [
        d.day,
        formatSeconds(d.audioSeconds),
        String(d.completed),
        String(d.failed),
        String(d.retried),
        String(d.cancelled),
        String(d.queueLength),
        formatSeconds(d.pausedForRecordingsSeconds),
      ]),
    ]),
  );
  if (stats.speed.length > 0) {
    lines.push(
      '',
      'Speed per engine and model (time taken per second of audio; below 1 is faster than real time):',
      table(
        stats.speed.map((s) => [
          s.day,
          s.engine,
          s.model ?? '-',
          `${s.realTimeFactor.toFixed(2)}×`,
          formatSeconds(s.audioSeconds),
        ]),
      ),
    );
  }
  if (stats.failuresByKind.length > 0) {
    lines.push('', 'Failures by kind:', table(stats.failuresByKind.map((f) => [f.kind, String(f.count)])));
  }
  return lines.join('\n');
}

export const statsCommand: Command = {
  name: 'stats',
  summary:
    'Statistics: audio transcribed per day and in all, tasks by outcome, speed per engine and model, failures by kind.',
  usage: `hark stats [--days N (default ${DEFAULT_STATS_DAYS})] [--json]`,
  options: { days: { type: 'string' }, json: { type: 'boolean' } },
  run: (ctx) =>
    withServices(ctx, async (services) => {
      const days = ctx.values.days === undefined ? DEFAULT_STATS_DAYS : Number(ctx.values.days);
      if (!Number.isInteger(days))
        throw new BadRequest(`--days must be a whole number (got "${ctx.values.days}")`);
      const stats = await readStatistics(services, days);
      ctx.out(ctx.values.json ? JSON.stringify(statsToJson(stats), null, 2) : statsText(stats));
      return 0;
    }),
};
