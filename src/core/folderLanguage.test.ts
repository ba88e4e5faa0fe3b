import { describe, expect, it } from 'vitest';
import { foldersOf, parseFolderFile, resolveFileLanguage } from './folderLanguage.js';

const defaults = { language: null, translate: false };

describe('resolveFileLanguage', () => {
  it('uses the settings when no rule or file speaks for the folder', () => {
    expect(resolveFileLanguage('memo.mp3', defaults, [])).toEqual({
      language: null,
      translate: false,
      from: 'settings',
    });
  });

  it('applies a folder rule to the folder and its subfolders, not to its neighbours', () => {
    const rules = [{ folder: 'Work', language: 'de' }];
    expect(resolveFileLanguage('Work/a.mp3', defaults, rules).language).toBe('de');
    expect(resolveFileLanguage('Work/2024/May/a.mp3', defaults, rules).language).toBe('de');
    expect(resolveFileLanguage('Workshop/a.mp3', defaults, rules).language).toBeNull();
    expect(resolveFileLanguage('a.mp3', defaults, rules).language).toBeNull();
  });

  it('lets the deepest folder win, rule or file', () => {
    const rules = [{ folder: 'Work/', language: 'de' }];
    const files = [{ folder: 'Work/Paris', language: 'fr' }];
    expect(resolveFileLanguage('Work/Paris/a.mp3', defaults, rules, files)).toEqual({
      language: 'fr',
      translate: false,
      from: 'Work/Paris/.hark.json, settings',
    });
    expect(resolveFileLanguage('Work/Berlin/a.mp3', defaults, rules, files).language).toBe('de');
  });

  it('prefers the settings rule over a .hark.json in the same folder', () => {
    const rules = [{ folder: 'Trips', language: 'es' }];
    const files = [{ folder: 'Trips', language: 'it', translate: true }];
    expect(resolveFileLanguage('Trips/a.mp3', defaults, rules, files)).toEqual({
      language: 'es',
      translate: true,
      from: 'rule Trips, Trips/.hark.json',
    });
  });

  it('keeps the language from above when a file only says translate', () => {
    const rules = [{ folder: '', language: 'de' }];
    const files = [{ folder: 'Talks', translate: true }];
    expect(resolveFileLanguage('Talks/a.mp3', defaults, rules, files)).toMatchObject({
      language: 'de',
      translate: true,
    });
  });
});

describe('foldersOf', () => {
  it('lists the folders a file is in, root first', () => {
    expect(foldersOf('a/b/c.mp3')).toEqual(['', 'a', 'a/b']);
    expect(foldersOf('c.mp3')).toEqual(['']);
  });
});

describe('parseFolderFile', () => {
  it('reads language and translate and ignores other keys', () => {
    expect(parseFolderFile('Work', '{"language":"de","translate":false,"colour":"red"}')).toEqual({
      folder: 'Work',
      language: 'de',
      translate: false,
    });
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseFolderFile('Work', '{')).toThrow(/Work\/\.hark\.json is not valid JSON/);
    expect(() => parseFolderFile('', '{"language":"klingon"}')).toThrow(
      /"language" must be auto or a whisper language code/,
    );
    expect(() => parseFolderFile('', '[1]')).toThrow(/must be an object/);
    expect(() => parseFolderFile('', '{"translate":"yes"}')).toThrow(/"translate" must be true or false/);
  });
});
