import { BadRequest, NotFound } from '../../core/errors.js';
import { DEFAULT_MODEL } from '../../models/catalog.js';
import { pullModel } from '../../models/download.js';
import { listModels, removeModel } from '../../models/store.js';
import type { Command, CommandContext } from '../command.js';
import { table } from '../output.js';
import { bar, ProgressLine } from '../progressBar.js';

const megabytes = (bytes: number | null) => (bytes === null ? '?' : `${Math.round(bytes / 2 ** 20)} MB`);

function list(ctx: CommandContext): number {
  const models = listModels(ctx.config().dataDir);
  if (ctx.values.json) {
    ctx.out(JSON.stringify(models, null, 2));
    return 0;
  }
  ctx.out(
    table([
      ['MODEL', 'SIZE', 'INSTALLED', 'LANGUAGES'],
      ...models.map((m) => [
        m.name + (m.name === DEFAULT_MODEL ? ' (default)' : ''),
        megabytes(m.sizeBytes),
        m.installed ? 'yes' : m.partialBytes > 0 ? `partly (${megabytes(m.partialBytes)}, resumable)` : '',
        m.multilingual === null ? '?' : m.multilingual ? 'many' : 'English',
      ]),
    ]),
  );
  return 0;
}

async function pull(ctx: CommandContext, name: string): Promise<number> {
  const line = new ProgressLine();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const result = await pullModel(name, ctx.config().dataDir, {
      signal: controller.signal,
      onProgress: (bytes, total) =>
        line.update(
          `${bar(bytes / total)} ${Math.floor((100 * bytes) / total)}%  ${megabytes(bytes)} of ${megabytes(total)}`,
        ),
    });
    line.clear();
    ctx.out(
      result.alreadyInstalled
        ? `${name} is already installed: ${result.path}`
        : `Downloaded ${name} (${megabytes(result.bytes)}${result.resumedFrom ? `, resumed at ${megabytes(result.resumedFrom)}` : ''}), checksum verified: ${result.path}`,
    );
    return 0;
  } catch (error) {
    line.clear();
    if (controller.signal.aborted) {
      ctx.out(`Stopped. \`hark models pull ${name}\` resumes where it left off.`);
      return 130;
    }
    throw error;
  } finally {
    process.off('SIGINT', stop);
  }
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'List, download (resumable, checksum-verified) or remove whisper.cpp models.',
  usage: 'hark models list [--json] | hark models pull <name> | hark models rm <name>',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const [action = 'list', name] = ctx.positionals;
    if (action === 'list') return list(ctx);
    if (!name) throw new BadRequest(`usage: ${modelsCommand.usage}`);
    if (action === 'pull') return pull(ctx, name);
    if (action === 'rm') {
      if (!removeModel(name, ctx.config().dataDir)) throw new NotFound(`An installed model named ${name}`);
      ctx.out(`Removed ${name}.`);
      return 0;
    }
    throw new BadRequest(`usage: ${modelsCommand.usage}`);
  },
};
