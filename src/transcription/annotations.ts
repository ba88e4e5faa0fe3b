/**
 * Recognisers label sounds that are not words: whisper writes
 * `[BLANK_AUDIO]`, `(music)`, `[ Silence ]` or `♪`, pocketsphinx `[NOISE]`
 * and `++BREATH++`, others `*coughs*`. A segment made only of such labels is
 * not part of the transcript, and a note of only labels is `no_speech`.
 */
const ANNOTATION = /\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|\+\+[^+]*\+\+|<[^>]*>|[♪♫♬🎵🎶]/gu;

/** True when the text, with every bracketed label removed, has no letter or digit left. */
export function isOnlyAnnotations(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text.replace(ANNOTATION, ' '));
}
