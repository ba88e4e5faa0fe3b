import { writeFileSync } from 'node:fs';
import { BadRequest, NotFound } from '../../core/errors.js';
import { EXPORT_FORMATS, type ExportFormat, exportTranscript } from '../../core/export.js';
import { transcriptionIdFor } from '../../core/orphans.js';
import type { Command } from '../command.js';
import { withServices } from '../withServices.js';

export const exportCommand: Command = {
  name: 'export',
  summary:
    'Print (or write with --output) a transcript as txt, srt, vtt, json or md (Markdown with front matter).',
  usage: `hark export <transcription-id | audio path> [--format ${EXPORT_FORMATS.join('|')}] [--no-timestamps] [--output FILE]`,
  options: {
    format: { type: 'string' },
    output: { type: 'string' },
    // Markdown only: paragraphs without their [mm:ss] times.
    'no-timestamps': { type: 'boolean' },
  },
  run: (ctx) =>
    withServices(ctx, async ({ queue }) => {
      const which = ctx.positionals[0];
      if (!which) throw new BadRequest(`usage: ${exportCommand.usage}`);
      const format = (ctx.values.format ?? 'txt') as ExportFormat;
      if (!EXPORT_FORMATS.includes(format))
        throw new BadRequest(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
      const transcription =
        (await queue.getTranscription(which)) ?? (await queue.getTranscription(transcriptionIdFor(which)));
      if (!transcription) throw new NotFound(`Transcription ${which}`);
      if (transcription.status === 'pending' || transcription.status === 'failed') {
        throw new BadRequest(`${transcription.audioPath} has no transcript yet (${transcription.status})`);
      }
      const text = exportTranscript(transcription, format, {
        timestamps: ctx.values['no-timestamps'] !== true,
      });
      if (typeof ctx.values.output === 'string') writeFileSync(ctx.values.output, text);
      else process.stdout.write(text);
      return 0;
    }),
};
