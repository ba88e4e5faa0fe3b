import { describe, expect, it } from 'vitest';
import { documentWords, searchQuery } from './searchWords.js';

describe('search words, cut as SQLite FTS5 unicode61 remove_diacritics 2 cuts them', () => {
  it('splits on anything but letters and digits, folds case and diacritics, keeps each word once', () => {
    expect(documentWords('Café au LAIT, café!', '2026-11-28/101500-voice-note.webm')).toBe(
      'cafe au lait 2026 11 28 101500 voice note webm',
    );
    expect(documentWords("Don't", null, undefined, '')).toBe('don t');
    expect(documentWords('Встреча 東京で')).toBe('встреча 東京で');
    expect(documentWords('Ñandú naïve й ά で')).toBe('nandu naive й ά で');
  });

  it('makes every word a prefix that must match, and leaves no query syntax through', () => {
    expect(searchQuery('Café tomor')).toBe("'cafe':* & 'tomor':*");
    expect(searchQuery("don't")).toBe("'dont':*");
    expect(searchQuery(`"); DROP TABLE x; --`)).toBe("'drop':* & 'table':* & 'x':*");
    expect(searchQuery('  * & | ! ')).toBeNull();
    expect(searchQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '))?.split(' & ')).toHaveLength(
      16,
    );
  });
});
