import type { Segment } from '../../core/types.js';
import type { RawSegment } from './protocol.js';

/**
 * Turns whisper's segments (centiseconds) into Hark's (seconds), kept inside
 * the window: whisper.cpp pads every window to 30 seconds and may stamp times
 * in the padding. Empty segments are dropped. If the segments do not account
 * for the text full() returned (a callback was lost), the text is kept as one
 * segment spanning the window rather than losing words.
 */
export function windowSegments(raw: RawSegment[], text: string, windowSeconds: number): Segment[] {
  const clamp = (centiseconds: number) => Math.min(Math.max(centiseconds / 100, 0), windowSeconds);
  const segments = raw
    .map((segment) => {
      const start = clamp(segment.start);
      return { start, end: Math.max(start, clamp(segment.end)), text: segment.text.trim() };
    })
    .filter((segment) => segment.text.length > 0);
  if (segmentsCoverText(segments, text)) return segments;
  return [{ start: 0, end: windowSeconds, text: text.trim() }];
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
