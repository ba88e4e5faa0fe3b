/**
 * Where playback is in a transcript's segments, and where J and K go.
 * Structural types, no imports: the node tests load this file.
 */

export interface TimedSpan {
  start: number;
  end: number;
}

/**
 * The segment playing at `time`: the last one that started at or before it
 * (a pause between two segments keeps the previous one lit), or -1 before
 * the first. Segments are in time order; a binary search, for long notes.
 */
export function segmentIndexAt(segments: readonly TimedSpan[], time: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle];
    if (segment && segment.start <= time + 1e-3) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * Where J (previous, -1) or K (next, +1) seeks from `time`. As in a music
 * player, J a little way into a segment goes back to its own start first.
 */
export function stepSegment(segments: readonly TimedSpan[], time: number, direction: -1 | 1): number | null {
  if (segments.length === 0) return null;
  const current = segmentIndexAt(segments, time);
  let target: number;
  if (direction === 1) {
    target = Math.min(current + 1, segments.length - 1);
  } else {
    const intoCurrent = current >= 0 ? time - (segments[current]?.start ?? 0) : 0;
    target = intoCurrent > 1 ? current : Math.max(current - 1, 0);
  }
  return segments[target]?.start ?? null;
}

/** A seek of `delta` seconds, kept inside the audio. */
export function nudge(time: number, delta: number, duration: number | null): number {
  const upper = duration !== null && Number.isFinite(duration) ? duration : Number.POSITIVE_INFINITY;
  return Math.min(Math.max(0, time + delta), upper);
}
