import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BadRequest, FileMissing, HarkError } from '../../core/errors.js';
import { selectEngine } from '../../services/engines.js';
import { createLogger } from '../../services/log.js';
import type { Command } from '../command.js';
import { bar, ProgressLine } from '../progressBar.js';

/** `hark transcribe <file>`: one file in the foreground, no queue, the text on stdout. */
export const transcribeCommand: Command = {
  name: 'transcribe',
  summary: 'Transcribe one audio file now and print the text (or JSON with timed segments).',
  usage: 'hark transcribe <file> [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new BadRequest(`usage: ${transcribeCommand.usage}`);
    const path = resolve(file);
    if (!existsSync(path)) throw new FileMissing(path);
    const log = createLogger();
    const { engine, reason } = await selectEngine(ctx.config(), log);
    if (!engine) throw new HarkError('engine_unavailable', `No transcription engine: ${reason}`);
    const line = new ProgressLine();
    const controller = new AbortController();
    const stop = () => controller.abort({ kind: 'cancelled' });
    process.once('SIGINT', stop);
    try {
      const transcript = await engine.transcribe(path, {
        signal: controller.signal,
        onProgress: (fraction) =>
          line.update(`${bar(fraction)} ${Math.round(fraction * 100)}% ${engine.name}`),
      });
      line.clear();
      if (ctx.values.json) ctx.out(JSON.stringify({ engine: engine.name, ...transcript }, null, 2));
      else if (transcript.text) ctx.out(transcript.text);
      else {
        process.stderr.write('hark: no speech found in the file [no_speech]\n');
        return 3;
      }
      return 0;
    } finally {
      line.clear();
      process.off('SIGINT', stop);
      await engine.dispose();
    }
  },
};
