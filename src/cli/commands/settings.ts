import { BadRequest } from '../../core/errors.js';
import type { EffectiveSettings } from '../../core/settings.js';
import { loadCatalog } from '../../models/catalog.js';
import { SettingsService } from '../../services/settings.js';
import type { Command } from '../command.js';
import { table } from '../output.js';
import { withServices } from '../withServices.js';

/** Each setting, its value and where the value comes from (saved, the default, or a flag that wins). */
export function settingsText(settings: EffectiveSettings): string {
  return table([
    ['setting', 'value', 'from'],
    ...Object.entries(settings).map(([key, s]) => [
      key,
      JSON.stringify(s.value),
      s.pinned_by ? `${s.source} (${s.pinned_by})` : s.source,
    ]),
  ]);
}

/** A value as typed: JSON where it reads as JSON (7, true, ["22:00-07:00"]), else the text itself. */
function typedValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export const settingsCommand: Command = {
  name: 'settings',
  summary:
    'Shows the settings, or saves one (`set KEY VALUE`); a running Hark applies it at once, as from its Settings page.',
  usage: 'hark settings [set KEY VALUE] [--json]',
  options: { json: { type: 'boolean' } },
  run: (ctx) =>
    withServices(ctx, async (services) => {
      const config = ctx.config();
      const settings = await SettingsService.load(
        config,
        services.queue,
        loadCatalog(config.modelCatalogFile),
      );
      const [verb, key, value, ...rest] = ctx.positionals;
      if (verb !== undefined) {
        if (verb !== 'set' || key === undefined || value === undefined || rest.length > 0)
          throw new BadRequest(`usage: ${settingsCommand.usage}`);
        await settings.update({ [key]: typedValue(value) });
      }
      const all = settings.all();
      ctx.out(ctx.values.json ? JSON.stringify(all, null, 2) : settingsText(all));
      return 0;
    }),
};
