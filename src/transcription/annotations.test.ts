import { describe, expect, it } from 'vitest';
import { isOnlyAnnotations } from './annotations.js';

describe('isOnlyAnnotations', () => {
  it.each([
    '[BLANK_AUDIO]',
    ' (music) ',
    '[ Silence ]',
    '♪ ♪',
    '[NOISE] ++BREATH++',
    '*coughs*',
    '(speaking in foreign language)',
    '<|nospeech|>',
    '',
    ' . ',
  ])('drops %j', (text) => {
    expect(isOnlyAnnotations(text)).toBe(true);
  });

  it.each(['hello', 'Hello [NOISE] world', '(laughs) that was funny', '42', 'ça va'])('keeps %j', (text) => {
    expect(isOnlyAnnotations(text)).toBe(false);
  });
});
