import type { Segment } from '../../core/types.js';

/**
 * whisper's best-known long-form failure: the decoder falls into a loop and
 * writes the same words again and again ("thank you thank you thank you …",
 * or one sentence five times), often over music or silence. The rule, over a
 * window's words in order (segments joined), compared without case or
 * punctuation:
 *
 * - a phrase of 1 to 8 words said at least 4 times in a row is cut down to
 *   its first occurrence (so "no, no, no" stays, and so does a phrase said
 *   twice or three times for emphasis);
 * - a whole segment whose text is the same as the 3 segments before it
 *   (4 or more in a row, however long the sentence) keeps only the first.
 *
 * A segment left with no words is dropped; one that loses some keeps its times.
 */
export const REPETITION_RULE = { minWords: 1, maxWords: 8, minRepeats: 4 } as const;

interface Token {
  segment: number;
  /** Its place among the segment's whitespace-separated words (which are its `words`, when it has them). */
  place: number;
  raw: string;
  /** Lower case, letters and digits only: what repeats are compared on. Empty for a lone punctuation mark. */
  key: string;
}

export function cutRepetitions(segments: readonly Segment[]): Segment[] {
  const distinct = dropRepeatedSegments(segments);
  const words = distinct.flatMap((segment, index) =>
    segment.text
      .split(/\s+/)
      .filter((raw) => raw.length > 0)
      .map((raw, place): Token => ({ segment: index, place, raw, key: normalize(raw) })),
  );
  const spoken = words.filter((word) => word.key.length > 0);
  const removed = new Set<Token>();
  for (let i = 0; i < spoken.length; ) {
    const loop = longestLoopAt(spoken, i);
    if (!loop) {
      i++;
      continue;
    }
    for (let j = i + loop.size; j < i + loop.size * loop.repeats; j++) removed.add(spoken[j] as Token);
    i += loop.size * loop.repeats;
  }
  if (removed.size === 0) return distinct;
  return distinct
    .map((segment, index) => {
      const kept = words.filter((word) => word.segment === index && !removed.has(word));
      const cut: Segment = { ...segment, text: kept.map((word) => word.raw).join(' ') };
      const places = new Set(kept.map((word) => word.place));
      const timed = segment.words;
      if (timed) {
        // The timed words match the text's words one to one (whisper's words hold no spaces); if not, drop them.
        if (timed.length === words.filter((word) => word.segment === index).length) {
          cut.words = timed.filter((_, place) => places.has(place));
        } else delete cut.words;
      }
      return cut;
    })
    .filter((segment) => normalize(segment.text).length > 0);
}

/** The loop of 1–8 words starting at `at` that covers the most words, if it repeats often enough. */
function longestLoopAt(words: readonly Token[], at: number): { size: number; repeats: number } | null {
  let best: { size: number; repeats: number } | null = null;
  for (let size = REPETITION_RULE.minWords; size <= REPETITION_RULE.maxWords; size++) {
    if (at + size * REPETITION_RULE.minRepeats > words.length) break;
    let repeats = 1;
    while (sameRun(words, at, at + repeats * size, size)) repeats++;
    if (repeats >= REPETITION_RULE.minRepeats && (!best || size * repeats > best.size * best.repeats)) {
      best = { size, repeats };
    }
  }
  return best;
}

function sameRun(words: readonly Token[], first: number, other: number, size: number): boolean {
  if (other + size > words.length) return false;
  for (let k = 0; k < size; k++) {
    if (words[first + k]?.key !== words[other + k]?.key) return false;
  }
  return true;
}

function dropRepeatedSegments(segments: readonly Segment[]): Segment[] {
  const kept: Segment[] = [];
  for (let i = 0; i < segments.length; ) {
    const segment = segments[i] as Segment;
    const key = normalize(segment.text);
    let run = 1;
    while (i + run < segments.length && normalize(segments[i + run]?.text ?? '') === key) run++;
    const loops = key.length > 0 && run >= REPETITION_RULE.minRepeats;
    kept.push(...(loops ? [segment] : segments.slice(i, i + run)));
    i += run;
  }
  return kept;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}
