import { BadRequest } from '../core/errors.js';
import { formatRunWindows } from '../core/schedule.js';
import {
  changedSettings,
  checkCombination,
  type EffectiveSettings,
  effectiveSettings,
  type ModelLanguages,
  parseSaved,
  parseSetting,
  SETTING_KEYS,
  type SettingKey,
  type SettingPin,
  type SettingsValues,
  valuesOf,
} from '../core/settings.js';
import { type CatalogModel, catalogModel } from '../models/catalog.js';
import type { QueueManager } from '../queue/queueManager.js';
import { modelNameFromPath } from '../transcription/whisper/whisperRecognizer.js';
import { type HarkConfig, OPTION_SPECS, type OptionName } from './config.js';

/** The app_state key the saved settings live under, as one JSON object (saved in one write). */
export const SETTINGS_KEY = 'user_settings';

/** Which options pin which setting. */
const PINNED_BY: Record<SettingKey, OptionName[]> = {
  engine: ['engine'],
  model_foreground: ['model', 'model-name'],
  model_background: ['model', 'model-name'],
  language: ['language'],
  folder_languages: [],
  translate: ['translate'],
  window_prompt: ['window-prompt'],
  sidecar_format: ['sidecar-format'],
  preempt: ['preempt'],
  parallel: ['parallel'],
  keep_completed_days: ['keep-completed-days'],
  schedule: ['run-window'],
};

/** The configuration's values: what a setting is when nothing was saved, and what a pin fixes. */
export function settingDefaults(config: HarkConfig): SettingsValues {
  const model = config.modelPath ?? config.modelName;
  return {
    engine: config.engine,
    model_foreground: model,
    model_background: model,
    language: config.language,
    folder_languages: [],
    translate: config.translate,
    window_prompt: config.windowPrompt,
    sidecar_format: config.sidecarFormat,
    preempt: config.preempt,
    parallel: config.parallel,
    keep_completed_days: config.keepCompletedDays,
    schedule: config.runWindows.map((window) => formatRunWindows([window])),
  };
}

export function settingPins(config: HarkConfig): Partial<Record<SettingKey, SettingPin>> {
  const pins: Partial<Record<SettingKey, SettingPin>> = {};
  for (const key of SETTING_KEYS) {
    for (const option of PINNED_BY[key]) {
      const source = config.sources[option];
      if (!source) continue;
      pins[key] = { source, by: source === 'flag' ? `--${option}` : OPTION_SPECS[option].env };
      break;
    }
  }
  return pins;
}

/** What a model value says of its languages: the catalog knows, else the file's name (`.en`). */
export function modelLanguagesFrom(catalog: readonly CatalogModel[]): ModelLanguages {
  return (model) => {
    const name = model.startsWith('/') ? modelNameFromPath(model) : model;
    const entry = catalogModel(name, catalog);
    return { name, multilingual: entry?.multilingual };
  };
}

export type SettingsListener = (values: SettingsValues, changed: SettingKey[]) => void;

/**
 * The settings Hark works with: saved in the store, overruled by flags and
 * the environment. Whoever works with a setting reads `values()` when it
 * needs it, or listens (the engine hub switches engines between tasks), so a
 * change applies without a restart.
 */
export class SettingsService {
  private current: EffectiveSettings;
  private readonly listeners = new Set<SettingsListener>();

  private constructor(
    private readonly queue: QueueManager,
    private readonly defaults: SettingsValues,
    private readonly pins: Partial<Record<SettingKey, SettingPin>>,
    private readonly models: ModelLanguages,
    private saved: Partial<SettingsValues>,
    /** Extra checks before a save (a model file from disk is looked at). */
    private readonly checkModel: (model: string) => void,
  ) {
    this.current = effectiveSettings(defaults, saved, pins);
  }

  static async load(
    config: HarkConfig,
    queue: QueueManager,
    catalog: readonly CatalogModel[],
    checkModel: (model: string) => void = () => {},
  ): Promise<SettingsService> {
    const saved = parseSaved(await queue.getSetting(SETTINGS_KEY));
    return new SettingsService(
      queue,
      settingDefaults(config),
      settingPins(config),
      modelLanguagesFrom(catalog),
      saved,
      checkModel,
    );
  }

  all(): EffectiveSettings {
    return this.current;
  }

  values(): SettingsValues {
    return valuesOf(this.current);
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reads the saved settings again: another process (`hark settings set`, another node's
   * Settings page) may have changed them. Listeners hear of the keys whose values changed,
   * as after a save here; returns those keys. A saved value this process cannot read is
   * passed over (parseSaved keeps what it can).
   */
  async reload(): Promise<SettingKey[]> {
    const saved = parseSaved(await this.queue.getSetting(SETTINGS_KEY));
    const before = this.values();
    const effective = effectiveSettings(this.defaults, saved, this.pins);
    const changed = changedSettings(before, valuesOf(effective));
    this.saved = saved;
    this.current = effective;
    if (changed.length === 0) return changed;
    const values = this.values();
    for (const listener of [...this.listeners]) listener(values, changed);
    return changed;
  }

  /**
   * Saves the given settings, all or none: an unknown key, a pinned one, a bad
   * value or a combination that cannot work is a BadRequest saying so.
   * A value equal to the default is saved too (the page shows "saved").
   */
  async update(patch: Record<string, unknown>): Promise<EffectiveSettings> {
    const next: Partial<SettingsValues> = { ...this.saved };
    const changed: SettingKey[] = [];
    for (const [key, raw] of Object.entries(patch)) {
      if (!(SETTING_KEYS as readonly string[]).includes(key)) {
        throw new BadRequest(`Unknown setting "${key}": the settings are ${SETTING_KEYS.join(', ')}`);
      }
      const settingKey = key as SettingKey;
      const pin = this.pins[settingKey];
      if (pin) throw new BadRequest(`${key} is set by ${pin.by}; change it there (or start Hark without it)`);
      const value = parseSetting(settingKey, raw);
      if (
        (settingKey === 'model_foreground' || settingKey === 'model_background') &&
        typeof value === 'string'
      ) {
        if (value.startsWith('/')) this.checkModel(value);
      }
      (next as Record<string, unknown>)[settingKey] = value;
      changed.push(settingKey);
    }
    const effective = effectiveSettings(this.defaults, next, this.pins);
    checkCombination(valuesOf(effective), this.models);
    await this.queue.setSetting(SETTINGS_KEY, JSON.stringify(next));
    this.saved = next;
    this.current = effective;
    const values = this.values();
    for (const listener of [...this.listeners]) listener(values, changed);
    return this.current;
  }
}
