import { BadRequest } from './errors.js';
import { isWhisperLanguage, planLanguage } from './languages.js';
import { MAX_PARALLEL, parseParallel } from './parallel.js';

/** The engines a user can pick (`auto` prefers whisper, then the pocketsphinx fallback). */
export const ENGINE_CHOICES = ['auto', 'whisper', 'pocketsphinx', 'command', 'fake'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

/** A folder of the notes folder (and its subfolders) whose notes are in one language. */
export interface FolderLanguageRule {
  /** Relative to the notes folder, with `/`; '' is the whole folder. */
  folder: string;
  language: string;
  translate?: boolean;
}

/** Every setting the Settings page shows, with the value Hark works with. */
export interface SettingsValues {
  engine: EngineChoice;
  /** A catalog model name or a model file's absolute path: recordings and transcribe-now. */
  model_foreground: string;
  /** The same for the background queue (default: the foreground model). */
  model_background: string;
  /** `auto`, a whisper code, or null: the engine's default (English for `.en` models and pocketsphinx). */
  language: string | null;
  folder_languages: FolderLanguageRule[];
  translate: boolean;
  /**
   * whisper is given the previous window's text as its prompt, when core/windowPrompt.ts trusts it
   * (`--window-prompt on|off`, default on; README: Languages and guards).
   */
  window_prompt: boolean;
  sidecar_format: 'txt' | 'md';
  preempt: 'always' | 'never';
  /** `--parallel`: up to this many short background tasks at once (core/parallel.ts); 1 is the single worker. */
  parallel: number;
  keep_completed_days: number;
  /** Run windows such as `22:00-07:00` (stored here; another part of Hark enforces them). */
  schedule: string[];
}

export type SettingKey = keyof SettingsValues;
export const SETTING_KEYS: readonly SettingKey[] = [
  'engine',
  'model_foreground',
  'model_background',
  'language',
  'folder_languages',
  'translate',
  'window_prompt',
  'sidecar_format',
  'preempt',
  'parallel',
  'keep_completed_days',
  'schedule',
];

export type SettingSource = 'default' | 'saved' | 'flag' | 'env';

/** A value fixed by the command line or the environment: it wins over what is saved, and the page says so. */
export interface SettingPin {
  source: 'flag' | 'env';
  /** What pinned it, for the page: `--engine` or `HARK_ENGINE`. */
  by: string;
}

export interface EffectiveSetting<V> {
  value: V;
  source: SettingSource;
  editable: boolean;
  /** Set when pinned: the flag or variable that did. */
  pinned_by?: string;
}

export type EffectiveSettings = { [K in SettingKey]: EffectiveSetting<SettingsValues[K]> };

/**
 * What Hark works with: a pinned value (flag or environment) wins over a saved
 * one, which wins over the default. `pinned` carries the pinned values themselves
 * in `values` (they came from the configuration).
 */
export function effectiveSettings(
  defaults: SettingsValues,
  saved: Partial<SettingsValues>,
  pins: Partial<Record<SettingKey, SettingPin>>,
): EffectiveSettings {
  const out = {} as Record<SettingKey, EffectiveSetting<unknown>>;
  for (const key of SETTING_KEYS) {
    const pin = pins[key];
    if (pin) out[key] = { value: defaults[key], source: pin.source, editable: false, pinned_by: pin.by };
    else if (saved[key] !== undefined) out[key] = { value: saved[key], source: 'saved', editable: true };
    else out[key] = { value: defaults[key], source: 'default', editable: true };
  }
  return out as EffectiveSettings;
}

export function valuesOf(settings: EffectiveSettings): SettingsValues {
  const out = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) out[key] = settings[key].value;
  return out as SettingsValues;
}

/** The settings whose values differ between two sets (another process saved, and this one re-read). */
export function changedSettings(before: SettingsValues, after: SettingsValues): SettingKey[] {
  return SETTING_KEYS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

const RUN_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Reads one setting's new value from a request (or from what was saved),
 * or throws BadRequest saying what is wrong. Returns the value in its own type.
 */
export function parseSetting<K extends SettingKey>(key: K, value: unknown): SettingsValues[K] {
  const fail = (what: string): never => {
    throw new BadRequest(`${key} must be ${what} (got ${JSON.stringify(value)})`);
  };
  switch (key) {
    case 'engine':
      return (
        ENGINE_CHOICES.includes(value as EngineChoice) ? value : fail(ENGINE_CHOICES.join(', '))
      ) as never;
    case 'model_foreground':
    case 'model_background':
      return (
        typeof value === 'string' && modelValueOk(value)
          ? value
          : fail('a model name or an absolute path to a model file')
      ) as never;
    case 'language':
      if (value === null) return null as never;
      if (typeof value === 'string' && (value === 'auto' || isWhisperLanguage(value))) return value as never;
      return fail('auto, null (the model default) or a language code whisper knows');
    case 'translate':
    case 'window_prompt':
      return (typeof value === 'boolean' ? value : fail('true or false')) as never;
    case 'sidecar_format':
      return (value === 'txt' || value === 'md' ? value : fail('txt or md')) as never;
    case 'preempt':
      return (value === 'always' || value === 'never' ? value : fail('always or never')) as never;
    case 'parallel':
      return (
        Number.isInteger(value) && parseParallel(value) !== null
          ? value
          : fail(`a whole number from 1 (one task at a time) to ${MAX_PARALLEL}`)
      ) as never;
    case 'keep_completed_days':
      return (
        Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 3650
          ? value
          : fail('a whole number of days from 0 (keep for ever) to 3650')
      ) as never;
    case 'schedule':
      return (
        Array.isArray(value) &&
        value.length <= 20 &&
        value.every((w) => typeof w === 'string' && RUN_WINDOW.test(w))
          ? value
          : fail('a list of run windows like "22:00-07:00"')
      ) as never;
    case 'folder_languages':
      return parseFolderRules(value, fail) as never;
  }
  return fail('a known setting');
}

function modelValueOk(value: string): boolean {
  if (value.length === 0 || value.length > 4096 || value.includes('\0')) return false;
  return value.startsWith('/') || /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value);
}

function parseFolderRules(value: unknown, fail: (what: string) => never): FolderLanguageRule[] {
  const what = 'a list of {folder, language, translate?} with a folder inside the notes folder';
  if (!Array.isArray(value) || value.length > 500) return fail(what);
  return value.map((rule) => {
    if (typeof rule !== 'object' || rule === null) return fail(what);
    const { folder, language, translate } = rule as Record<string, unknown>;
    if (typeof folder !== 'string' || typeof language !== 'string') return fail(what);
    const clean = normalizeFolder(folder);
    if (clean === null) return fail(what);
    if (language !== 'auto' && !isWhisperLanguage(language))
      return fail(`${what}; "${language}" is not a language code whisper knows`);
    if (translate !== undefined && typeof translate !== 'boolean') return fail(what);
    return translate === undefined ? { folder: clean, language } : { folder: clean, language, translate };
  });
}

/** `Work/Meetings/` → `Work/Meetings`; null for anything that leaves the folder. */
export function normalizeFolder(folder: string): string | null {
  const parts = folder
    .replaceAll('\\', '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..' || part.includes('\0'))) return null;
  return parts.join('/');
}

/** Reads what was saved, dropping any value that no longer parses (a value saved by another version). */
export function parseSaved(json: string | null): Partial<SettingsValues> {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) {
    if (!(key in raw)) continue;
    try {
      out[key] = parseSetting(key, (raw as Record<string, unknown>)[key]);
    } catch {
      // ignored: the default applies
    }
  }
  return out as Partial<SettingsValues>;
}

/** What decides whether a model hears more than English: its name (`.en`), or what the catalog says. */
export type ModelLanguages = (model: string) => { name: string; multilingual: boolean | undefined };

/**
 * Checks that the settings can work together before they are saved: every
 * language asked for (the default and each folder's) against each model that
 * may hear it, and pocketsphinx's English only. Throws BadRequest (the message
 * names the multilingual model to use instead).
 */
export function checkCombination(values: SettingsValues, models: ModelLanguages): void {
  const requests = [
    { language: values.language ?? undefined, translate: values.translate, where: '' },
    ...values.folder_languages.map((rule) => ({
      language: rule.language,
      translate: rule.translate ?? values.translate,
      where: ` (folder rule for "${rule.folder || '/'}")`,
    })),
  ];
  for (const request of requests) {
    try {
      if (values.engine === 'pocketsphinx') {
        planLanguage(request, { engine: 'pocketsphinx' });
        continue;
      }
      if (values.engine !== 'whisper' && values.engine !== 'auto') continue;
      for (const model of new Set([values.model_foreground, values.model_background])) {
        const known = models(model);
        planLanguage(request, {
          engine: 'whisper',
          modelName: known.name,
          ...(known.multilingual === undefined ? {} : { multilingual: known.multilingual }),
        });
      }
    } catch (error) {
      throw new BadRequest(`${(error as Error).message}${request.where}`);
    }
  }
}
