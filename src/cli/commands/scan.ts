import { OrphanScanner } from '../../queue/scanner.js';
import { createLogger } from '../../services/log.js';
import type { Command } from '../command.js';
import { ProgressLine } from '../progressBar.js';
import { withServices } from '../withServices.js';

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Find audio in the notes folder with no transcript and queue it. Safe to run while Hark runs.',
  usage: 'hark scan [--json]',
  options: { json: { type: 'boolean' } },
  run: (ctx) =>
    withServices(ctx, async (services) => {
      const line = new ProgressLine();
      const scanner = new OrphanScanner(services.notes, services.queue, services.clock, {
        onProgress: (p) =>
          line.update(`scanning: ${p.directories} folders, ${p.audioFiles} audio files, ${p.queued} new`),
        log: createLogger({ beforeWrite: () => line.clear() }),
      });
      const result = await scanner.scan();
      line.clear();
      if (ctx.values.json) {
        ctx.out(JSON.stringify(result, null, 2));
        return 0;
      }
      ctx.out(
        `Scanned ${result.directories} folder(s) in ${result.durationMs} ms: ${result.audioFiles} audio file(s), ` +
          `${result.queued} newly queued, ${result.adopted} transcript(s) adopted` +
          (result.unsettled ? `, ${result.unsettled} still being written (taken later)` : '') +
          (result.unreadable.length ? `, ${result.unreadable.length} unreadable folder(s) skipped` : '') +
          '.',
      );
      return 0;
    }),
};
