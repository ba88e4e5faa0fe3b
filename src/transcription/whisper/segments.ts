import type { Segment, Word } from '../../core/types.js';
import type { RawSegment } from './protocol.js';

/**
 * Turns whisper's segments (centiseconds) into Hark's (seconds), kept inside
 * the window: whisper.cpp pads every window to 30 seconds and may stamp times
 * in the padding. Empty segments are dropped. If the segments do not account
 * for the text full() returned (a callback was lost), the text is kept as one
 * segment spanning the window rather than losing words.
 */
export function windowSegments(raw: RawSegment[], text: string, windowSeconds: number): Segment[] {
  const segments = clamped(raw, windowSeconds);
  if (segmentsCoverText(segments, text)) return segments;
  return [{ start: 0, end: windowSeconds, text: text.trim() }];
}

function clamped(raw: RawSegment[], windowSeconds: number): Segment[] {
  const clamp = (centiseconds: number) => Math.min(Math.max(centiseconds / 100, 0), windowSeconds);
  return raw
    .map((segment) => {
      const start = clamp(segment.start);
      return { start, end: Math.max(start, clamp(segment.end)), text: segment.text.trim() };
    })
    .filter((segment) => segment.text.length > 0);
}

/** Words after which a new segment starts: a sentence's end, in Latin or CJK punctuation (quotes may follow). */
const SENTENCE_END = /[.?!…。？！]["'”’)\]]*$/;
/** A pause this long between words also ends a segment. */
const PAUSE_SECONDS = 1;
/** And no segment grows past this many words (subtitles stay readable). */
const MAX_WORDS = 30;

/**
 * The host asks whisper for one segment per word (see host.ts); this turns
 * them into Hark's segments, each a sentence or phrase carrying its words'
 * times: a segment ends at a sentence's end, at a pause of a second, or at
 * 30 words. Times are kept inside the window as in windowSegments; if the
 * words do not account for full()'s text, the text is kept as one segment
 * spanning the window, without words.
 */
export function wordSegments(raw: RawSegment[], text: string, windowSeconds: number): Segment[] {
  const words = clamped(raw, windowSeconds);
  if (!segmentsCoverText(words, text)) return windowSegments(raw, text, windowSeconds);
  const segments: Segment[] = [];
  let current: Word[] = [];
  const close = () => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last) {
      segments.push({
        start: first.start,
        end: last.end,
        text: current.map((word) => word.text).join(' '),
        words: current,
      });
    }
    current = [];
  };
  for (const word of words) {
    const previous = current[current.length - 1];
    if (previous && word.start - previous.end >= PAUSE_SECONDS) close();
    current.push({ start: word.start, end: word.end, text: word.text });
    if (SENTENCE_END.test(word.text) || current.length >= MAX_WORDS) close();
  }
  close();
  return segments;
}

/** full() returns its segments' texts joined, while the segment callback trims each one. */
export function segmentsCoverText(segments: readonly { text: string }[], text: string): boolean {
  const squeeze = (value: string) => value.replace(/\s+/g, '');
  return squeeze(segments.map((segment) => segment.text).join('')) === squeeze(text);
}

/** whisper's progress callback gives percent, and more than 100 when a window is shorter than 30 s. */
export function progressFraction(percent: number): number {
  if (!Number.isFinite(percent)) return 0;
  return Math.min(Math.max(percent / 100, 0), 1);
}
