import { describe, expect, it } from 'vitest';
import { BadRequest } from './errors.js';
import {
  isEnglishOnlyModel,
  multilingualCounterpart,
  parseLanguage,
  planLanguage,
  WHISPER_LANGUAGES,
} from './languages.js';

describe('whisper languages', () => {
  it('lists whisper.cpp’s 100 codes, unique, English first', () => {
    const codes = WHISPER_LANGUAGES.map(([code]) => code);
    expect(codes).toHaveLength(100);
    expect(new Set(codes).size).toBe(100);
    expect(codes[0]).toBe('en');
    expect(codes).toContain('yue');
  });

  it('parses auto, codes and English names; rejects the unknown with the list', () => {
    expect(parseLanguage(undefined)).toBeUndefined();
    expect(parseLanguage('auto')).toBe('auto');
    expect(parseLanguage('DE')).toBe('de');
    expect(parseLanguage('German')).toBe('de');
    expect(() => parseLanguage('klingon')).toThrow(BadRequest);
    expect(() => parseLanguage('klingon')).toThrow(/got "klingon".*en, zh, de/);
  });

  it('knows English-only model names and their multilingual counterparts', () => {
    expect(isEnglishOnlyModel('base.en')).toBe(true);
    expect(isEnglishOnlyModel('small.en-q5_1')).toBe(true);
    expect(isEnglishOnlyModel('large-v3-turbo')).toBe(false);
    expect(isEnglishOnlyModel('base')).toBe(false);
    expect(multilingualCounterpart('medium.en')).toBe('medium');
    expect(multilingualCounterpart('small.en-q5_1')).toBe('small-q5_1');
  });
});

describe('planLanguage', () => {
  const whisper = (modelName: string) => ({ engine: 'whisper' as const, modelName });

  it('defaults to English for .en models and pocketsphinx, to detection for multilingual models', () => {
    expect(planLanguage({}, whisper('base.en'))).toEqual({ language: 'en', translate: false });
    expect(planLanguage({}, { engine: 'pocketsphinx' })).toEqual({ language: 'en', translate: false });
    expect(planLanguage({}, whisper('small'))).toEqual({ language: 'auto', translate: false });
  });

  it('pins a language and translates with a multilingual model', () => {
    expect(planLanguage({ language: 'de', translate: true }, whisper('large-v3-turbo'))).toEqual({
      language: 'de',
      translate: true,
    });
  });

  it('refuses another language on an English-only model, suggesting the multilingual one of the same size', () => {
    expect(() => planLanguage({ language: 'de' }, whisper('base.en'))).toThrow(BadRequest);
    expect(() => planLanguage({ language: 'de' }, whisper('base.en'))).toThrow(
      /base\.en is English-only: it cannot hear german \(de\); use the multilingual model base /,
    );
    expect(() => planLanguage({ language: 'auto' }, whisper('small.en'))).toThrow(/model small /);
    expect(() => planLanguage({ translate: true }, whisper('medium.en'))).toThrow(/cannot translate.*medium/);
    expect(planLanguage({ language: 'en' }, whisper('base.en'))).toEqual({
      language: 'en',
      translate: false,
    });
  });

  it('trusts what the loaded model says over its file name', () => {
    expect(() =>
      planLanguage({ language: 'fr' }, { engine: 'whisper', modelName: 'custom', multilingual: false }),
    ).toThrow(/custom is English-only.*model base/);
  });

  it('says pocketsphinx is English-only for any other language or translation', () => {
    expect(() => planLanguage({ language: 'fr' }, { engine: 'pocketsphinx' })).toThrow(
      /pocketsphinx is English-only/,
    );
    expect(() => planLanguage({ language: 'auto' }, { engine: 'pocketsphinx' })).toThrow(
      /pocketsphinx is English-only/,
    );
    expect(() => planLanguage({ translate: true }, { engine: 'pocketsphinx' })).toThrow(/or translate/);
    expect(planLanguage({ language: 'en' }, { engine: 'pocketsphinx' }).language).toBe('en');
  });

  it('rejects an unknown code with the list of codes whisper knows', () => {
    expect(() => planLanguage({ language: 'xx' }, whisper('base'))).toThrow(/unknown language "xx".*en, zh/);
  });
});
