import type { Segment } from './types.js';

/** One subtitle on screen: its times and one or two lines of text. */
export interface Cue {
  start: number;
  end: number;
  lines: string[];
}

/** The usual subtitle conventions (Netflix, BBC): at most 7 s and two lines of about 42 characters. */
export interface CueRules {
  maxSeconds: number;
  maxLineChars: number;
  /** A cue with no length of its own is shown this long, when the next cue leaves room. */
  minSeconds: number;
}

export const CUE_RULES: CueRules = { maxSeconds: 7, maxLineChars: 42, minSeconds: 1 };

/**
 * Cues from a transcript's segments. A cue never spans two segments and
 * breaks only between words; its times come from the engine's word times
 * where the segment has them, else from the segment's times shared out in
 * proportion to the words' lengths. Every word of the segments is in exactly
 * one cue, in order. The rules bend for one thing only: a single word longer
 * than a line, or heard for longer than `maxSeconds`, is a cue of its own
 * (kept whole, with its own times). Cues are in order and never overlap: a
 * cue starting before the previous one ends is moved to start at that end.
 */
export function buildCues(segments: readonly Segment[], rules: CueRules = CUE_RULES): Cue[] {
  const raw: TimedWord[][] = [];
  for (const segment of segments) {
    const words = timedWords(segment);
    if (words.length > 0) raw.push(...groupIntoCues(words, rules));
  }
  return settle(raw, rules);
}

/** A cue's words, as laid out on at most two lines: the break that balances them best. */
export function layoutLines(
  words: readonly string[],
  maxLineChars: number = CUE_RULES.maxLineChars,
): string[] {
  return bestBreak(words, maxLineChars) ?? [words.join(' ')];
}

interface TimedWord {
  start: number;
  end: number;
  text: string;
}

function tokens(text: string): string[] {
  return text.split(/\s+/).filter((token) => token.length > 0);
}

/** The segment's words with times inside the segment, never going backwards. */
function timedWords(segment: Segment): TimedWord[] {
  const start = Number.isFinite(segment.start) ? Math.max(0, segment.start) : 0;
  const end = Number.isFinite(segment.end) ? Math.max(start, segment.end) : start;
  const words = fromEngineWords(segment, start, end) ?? proportional(tokens(segment.text), start, end);
  let floor = start;
  return words.map((word) => {
    const wordStart = clamp(word.start, floor, end);
    const wordEnd = clamp(word.end, wordStart, end);
    floor = wordStart;
    return { start: wordStart, end: wordEnd, text: word.text };
  });
}

function clamp(value: number, low: number, high: number): number {
  if (!Number.isFinite(value)) return low;
  return Math.min(Math.max(value, low), Math.max(low, high));
}

/**
 * The engine's word times, when they spell the segment's text: either whole
 * words (`["Hello", "world"]`) or sub-word tokens glued together, a new word
 * starting at a token with leading space (`[" Hel", "lo", " world"]`, as
 * whisper prints them). Anything else falls back to proportional times, so
 * the segment's text, not the engine's pieces, is what the cues show.
 */
function fromEngineWords(segment: Segment, start: number, end: number): TimedWord[] | null {
  const pieces = (segment.words ?? []).filter((word) => word.text.trim().length > 0);
  if (pieces.length === 0) return null;
  const wanted = tokens(segment.text).join(' ');
  if (pieces.map((word) => word.text.trim()).join(' ') === wanted) {
    return pieces.flatMap((word) =>
      proportional(tokens(word.text), timeOf(word.start, start), timeOf(word.end, end)),
    );
  }
  const glued: TimedWord[] = [];
  for (const piece of pieces) {
    const last = glued[glued.length - 1];
    const pieceTokens = tokens(piece.text);
    if (last && !/^\s/.test(piece.text) && pieceTokens.length === 1) {
      last.text += pieceTokens[0];
      last.end = timeOf(piece.end, last.end);
    } else {
      glued.push(...proportional(pieceTokens, timeOf(piece.start, start), timeOf(piece.end, end)));
    }
  }
  return glued.map((word) => word.text).join(' ') === wanted ? glued : null;
}

function timeOf(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * Times for words without their own: the span shared out by characters, a
 * word's share including the space after it (the last word ends with the span).
 */
function proportional(words: readonly string[], start: number, end: number): TimedWord[] {
  const weights = words.map((word, index) => word.length + (index < words.length - 1 ? 1 : 0));
  const total = weights.reduce((sum, weight) => sum + weight, 0) || 1;
  const span = Math.max(0, end - start);
  let at = 0;
  return words.map((text, index) => {
    const wordStart = start + (span * at) / total;
    at += weights[index] ?? 0;
    return { start: wordStart, end: index === words.length - 1 ? end : start + (span * at) / total, text };
  });
}

/** Greedy: a word joins the current cue while the cue still fits two lines and the time limit. */
function groupIntoCues(words: readonly TimedWord[], rules: CueRules): TimedWord[][] {
  const cues: TimedWord[][] = [];
  let current: TimedWord[] = [];
  for (const word of words) {
    const first = current[0];
    const fits =
      first !== undefined &&
      word.end - first.start <= rules.maxSeconds &&
      bestBreak(
        [...current, word].map((w) => w.text),
        rules.maxLineChars,
      ) !== null;
    if (fits) current.push(word);
    else {
      if (current.length > 0) cues.push(current);
      current = [word];
    }
  }
  if (current.length > 0) cues.push(current);
  return cues;
}

/**
 * The words on one line, or on two with the break that makes the longer line
 * shortest; null when they cannot fit. A line over the limit is allowed only
 * when it is a single word (a word is never cut).
 */
function bestBreak(words: readonly string[], maxLineChars: number): string[] | null {
  const fitsLine = (line: readonly string[]) => line.length === 1 || line.join(' ').length <= maxLineChars;
  if (words.length === 0) return [];
  if (fitsLine(words)) return [words.join(' ')];
  let best: string[] | null = null;
  let bestLongest = Number.POSITIVE_INFINITY;
  for (let cut = 1; cut < words.length; cut++) {
    const top = words.slice(0, cut);
    const bottom = words.slice(cut);
    if (!fitsLine(top) || !fitsLine(bottom)) continue;
    const lines = [top.join(' '), bottom.join(' ')];
    const longest = Math.max(lines[0]?.length ?? 0, lines[1]?.length ?? 0);
    if (longest < bestLongest) {
      best = lines;
      bestLongest = longest;
    }
  }
  return best;
}

/** Orders the cues in time without overlap, and gives a cue of no length a moment on screen. */
function settle(groups: readonly TimedWord[][], rules: CueRules): Cue[] {
  const cues: Cue[] = [];
  let floor = 0;
  groups.forEach((words, index) => {
    const first = words[0];
    const last = words[words.length - 1];
    if (!first || !last) return;
    const start = Math.max(first.start, floor);
    let end = Math.max(last.end, start);
    if (end - start <= 0) {
      const next = groups[index + 1]?.[0]?.start ?? Number.POSITIVE_INFINITY;
      end = Math.max(start, Math.min(start + rules.minSeconds, next));
    }
    cues.push({
      start,
      end,
      lines: layoutLines(
        words.map((word) => word.text),
        rules.maxLineChars,
      ),
    });
    floor = end;
  });
  return cues;
}

/** Every word of the segments, in order: what the cues must show between them. */
export function wordsOfSegments(segments: readonly Segment[]): string[] {
  return segments.flatMap((segment) => tokens(segment.text));
}
