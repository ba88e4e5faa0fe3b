import { describe, expect, it } from 'vitest';
import {
  changedSettings,
  checkCombination,
  effectiveSettings,
  parseSaved,
  parseSetting,
  type SettingsValues,
} from './settings.js';

const defaults: SettingsValues = {
  engine: 'auto',
  model_foreground: 'base.en',
  model_background: 'base.en',
  language: null,
  folder_languages: [],
  translate: false,
  window_prompt: true,
  sidecar_format: 'txt',
  preempt: 'always',
  parallel: 1,
  keep_completed_days: 30,
  schedule: [],
};
const byName = (model: string) => ({ name: model, multilingual: undefined });

describe('effectiveSettings', () => {
  it('takes a pin over a saved value over the default, and says which', () => {
    const settings = effectiveSettings(
      { ...defaults, engine: 'pocketsphinx' },
      { engine: 'whisper', preempt: 'never' },
      { engine: { source: 'flag', by: '--engine' } },
    );
    expect(settings.engine).toEqual({
      value: 'pocketsphinx',
      source: 'flag',
      editable: false,
      pinned_by: '--engine',
    });
    expect(settings.preempt).toEqual({ value: 'never', source: 'saved', editable: true });
    expect(settings.sidecar_format).toEqual({ value: 'txt', source: 'default', editable: true });
  });
});

describe('parseSetting', () => {
  it('accepts good values', () => {
    expect(parseSetting('language', 'de')).toBe('de');
    expect(parseSetting('language', null)).toBeNull();
    expect(parseSetting('model_background', '/home/me/ggml-small.bin')).toBe('/home/me/ggml-small.bin');
    expect(parseSetting('schedule', ['22:00-07:00'])).toEqual(['22:00-07:00']);
    expect(parseSetting('window_prompt', false)).toBe(false);
    expect(parseSetting('folder_languages', [{ folder: 'Work/', language: 'de' }])).toEqual([
      { folder: 'Work', language: 'de' },
    ]);
  });

  it('refuses bad values with a message', () => {
    expect(() => parseSetting('engine', 'vosk')).toThrow(/engine must be auto, whisper/);
    expect(() => parseSetting('language', 'xx')).toThrow(/language must be auto/);
    expect(() => parseSetting('keep_completed_days', -1)).toThrow(/whole number of days/);
    expect(() => parseSetting('window_prompt', 'off')).toThrow(/window_prompt must be true or false/);
    expect(() => parseSetting('schedule', ['25:00-07:00'])).toThrow(/run windows/);
    expect(() => parseSetting('folder_languages', [{ folder: '../x', language: 'de' }])).toThrow(
      /inside the notes folder/,
    );
    expect(() => parseSetting('model_foreground', '../ggml.bin')).toThrow(/model name or an absolute path/);
  });
});

describe('parseSaved', () => {
  it('drops what no longer parses and keeps the rest', () => {
    expect(parseSaved('{"engine":"vosk","preempt":"never"}')).toEqual({ preempt: 'never' });
    expect(parseSaved('not json')).toEqual({});
    expect(parseSaved(null)).toEqual({});
  });
});

describe('checkCombination', () => {
  it('suggests the multilingual model for German on an English-only one', () => {
    expect(() => checkCombination({ ...defaults, language: 'de' }, byName)).toThrow(
      /use the multilingual model base/,
    );
  });

  it('names the folder rule that cannot work', () => {
    const values = {
      ...defaults,
      model_background: 'small',
      folder_languages: [{ folder: 'Work', language: 'de' }],
    };
    expect(() => checkCombination(values, byName)).toThrow(
      /base\.en is English-only.*folder rule for "Work"/,
    );
  });

  it('says pocketsphinx is English-only', () => {
    expect(() => checkCombination({ ...defaults, engine: 'pocketsphinx', language: 'fr' }, byName)).toThrow(
      /pocketsphinx is English-only/,
    );
  });

  it('lets a multilingual model hear any language', () => {
    expect(() =>
      checkCombination(
        { ...defaults, model_foreground: 'small', model_background: 'small', language: 'de' },
        byName,
      ),
    ).not.toThrow();
  });
});

describe('parallel', () => {
  it('takes a whole number from 1 to 16 and refuses anything else', () => {
    expect(parseSetting('parallel', 1)).toBe(1);
    expect(parseSetting('parallel', 4)).toBe(4);
    for (const bad of [0, 17, 1.5, '2', null])
      expect(() => parseSetting('parallel', bad)).toThrow(/parallel must be/);
  });

  it('defaults to the single worker', () => {
    expect(effectiveSettings(defaults, {}, {}).parallel).toEqual({
      value: 1,
      source: 'default',
      editable: true,
    });
  });
});

describe('settings saved by another process', () => {
  it('are told apart key by key, lists and rules by their content', () => {
    expect(changedSettings(defaults, { ...defaults })).toEqual([]);
    expect(
      changedSettings(defaults, { ...defaults, keep_completed_days: 7, schedule: ['22:00-07:00'] }).sort(),
    ).toEqual(['keep_completed_days', 'schedule']);
  });
});
