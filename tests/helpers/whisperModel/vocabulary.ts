/**
 * The text tokens of a synthetic whisper vocabulary. whisper.cpp adds the
 * special tokens (end of text, start of transcript, languages, timestamps)
 * itself when the file lists fewer tokens than n_vocab, so only the ordinary
 * ones are written: 50256 for English-only models, 50257 for multilingual.
 *
 * Every token is plain ASCII, so any sequence the random weights pick decodes
 * to valid UTF-8 (the binding silently drops segments that are not). Token 220
 * is a single space, as in GPT-2's byte-level table: whisper.cpp looks `" "` up
 * with map::at to suppress blank output and throws if it is missing.
 */

/** whisper.cpp tells English-only models from multilingual ones by the vocabulary size alone. */
export const ENGLISH_VOCAB_SIZE = 51864;
export const MULTILINGUAL_VOCAB_SIZE = 51865;

const SPACE_TOKEN = 220;
const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

export function syntheticVocabulary(nVocab: number): string[] {
  return Array.from({ length: specialTokens(nVocab).endOfText }, (_, id) => tokenText(id));
}

/** The ids whisper.cpp gives its special tokens, which follow the ordinary ones. */
export function specialTokens(nVocab: number) {
  const endOfText = nVocab > ENGLISH_VOCAB_SIZE ? 50257 : 50256;
  return {
    endOfText,
    noSpeech: endOfText + 105,
    /** `<|0.00|>`; then one token per 20 ms up to `<|30.00|>`, the last in the vocabulary. */
    firstTimestamp: nVocab - 1501,
    lastTimestamp: nVocab - 1,
  };
}

function tokenText(id: number): string {
  if (id === SPACE_TOKEN) return ' ';
  const byte = gpt2Byte(id);
  // GPT-2's first 256 tokens are single bytes; keep the printable ASCII ones as they are.
  if (byte !== undefined && byte > 32 && byte < 127) return String.fromCharCode(byte);
  return pseudoWord(id);
}

/** GPT-2's byte-level table: token i < 256 stands for byte BYTE_OF_TOKEN[i], printable ones first. */
const BYTE_OF_TOKEN = (() => {
  const printable = [...range(33, 127), ...range(161, 173), ...range(174, 256)];
  return [...printable, ...range(0, 256).filter((byte) => !printable.includes(byte))];
})();

function gpt2Byte(id: number): number | undefined {
  return BYTE_OF_TOKEN[id];
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** One to three syllables made from the id's digits; half the words start with a space, like GPT-2's. */
function pseudoWord(id: number): string {
  let rest = id;
  let word = rest % 2 === 0 ? ' ' : '';
  rest = Math.floor(rest / 2);
  const syllables = 1 + (rest % 3);
  rest = Math.floor(rest / 3);
  for (let i = 0; i < syllables; i++) {
    word += (CONSONANTS[rest % CONSONANTS.length] ?? '') + (VOWELS[(rest >> 4) % VOWELS.length] ?? '');
    rest = Math.floor(rest / 7) + i + 1;
  }
  return word;
}
