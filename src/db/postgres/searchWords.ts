/**
 * The words full-text search knows, cut as SQLite's FTS5 `unicode61 remove_diacritics 2`
 * tokenizer cuts them (src/db/queries/searchIndex.ts), so that a search finds the same rows on
 * both stores: runs of letters, marks and digits, case-folded, with the diacritics of Latin letters
 * removed ("Café" is "cafe"; like SQLite, Cyrillic "й", Greek "ά" and Japanese "で" keep theirs).
 * PostgreSQL receives the finished words and uses them verbatim as lexemes.
 */

/** Longer words are left out: PostgreSQL refuses a lexeme over 2 KB, and nobody searches one. */
const MAX_WORD_LENGTH = 200;

function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .toLowerCase();
}

/** A document's distinct words, space-separated (the form the search_vector column is built from). */
export function documentWords(...texts: (string | null | undefined)[]): string {
  const words = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const token of text.normalize('NFC').split(/[^\p{L}\p{M}\p{N}]+/u)) {
      const word = fold(token);
      if (word.length > 0 && word.length <= MAX_WORD_LENGTH) words.add(word);
    }
  }
  return [...words].join(' ');
}

/**
 * A search as a tsquery: every word must match, as a prefix. The words are cut as SQLite's
 * ftsQuery cuts them (an apostrophe is dropped, up to 16 words) and then folded, so nothing the
 * user types reaches the query syntax; null when nothing searchable is left.
 */
export function searchQuery(q: string): string | null {
  const words = q
    .normalize('NFC')
    .split(/[^\p{L}\p{N}']+/u)
    .map((word) => fold(word.replace(/'/g, '')))
    .filter((word) => word.length > 0)
    .slice(0, 16);
  return words.length === 0 ? null : words.map((word) => `'${word}':*`).join(' & ');
}
