import { type CatalogModel, loadCatalog } from '../models/catalog.js';
import { checkModelFile, ModelManager } from '../models/manager.js';
import { EngineHub } from '../services/engineHub.js';
import type { HarkServices } from '../services/services.js';
import { SettingsService } from '../services/settings.js';

/** What each caller says about a download, in its own words (the app names its Settings page). */
export interface DownloadWords {
  /** At each progress report of a download under way (bytes > 0). */
  onProgress: (name: string, bytes: number, total: number) => void;
  /** The warning logged when a download fails. */
  failed: (name: string, error: string | null) => string;
}

export interface EngineControl {
  catalog: readonly CatalogModel[];
  settings: SettingsService;
  models: ModelManager;
  hub: EngineHub;
}

/**
 * The settings (saved, overruled by flags), the model manager and the engine hub they choose
 * engines with, wired so that every model change refreshes the hub. Shared by `hark start`
 * and `hark worker`; each decides itself whether to download a model first.
 */
export async function openEngineControl(
  services: HarkServices,
  words: DownloadWords,
): Promise<EngineControl> {
  const { config, queue, log, clock } = services;
  const catalog = loadCatalog(config.modelCatalogFile);
  let hub: EngineHub | null = null;
  const models = new ModelManager({
    dataDir: config.dataDir,
    catalog,
    baseUrl: config.modelBaseUrl ?? undefined,
    onChange: (name, state) => {
      if (state?.phase === 'downloading' && state.bytes > 0) words.onProgress(name, state.bytes, state.total);
      if (state?.phase === 'failed') log.warn(words.failed(name, state.error));
      hub?.refresh();
    },
    onInstalled: (name, path) => {
      log.info(`downloaded and verified ${name} (${path})`);
      hub?.refresh();
    },
  });
  const settings = await SettingsService.load(config, queue, catalog, checkModelFile);
  hub = new EngineHub(config, settings, models, {
    clock,
    onHearing: (hearing) => queue.markEngineChild(hearing),
  });
  return { catalog, settings, models, hub };
}

/**
 * Settings another process saved (`hark settings set`, another node's Settings page) are read
 * again and applied as a save here would be. Called on every commit seen from elsewhere, so it
 * only logs what changed and never throws.
 */
export async function reloadSettings(
  services: HarkServices,
  settings: SettingsService | null,
): Promise<void> {
  if (!settings) return;
  try {
    const changed = await settings.reload();
    if (changed.length > 0)
      services.log.info(`settings changed by another process, applied: ${changed.join(', ')}`);
  } catch (error) {
    services.log.warn(`could not read the saved settings again (${(error as Error).message})`);
  }
}
