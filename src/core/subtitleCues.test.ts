import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCues, CUE_RULES, type Cue, layoutLines, wordsOfSegments } from './subtitleCues.js';
import type { Segment } from './types.js';

const wordsOfCues = (cues: readonly Cue[]) => cues.flatMap((cue) => cue.lines.join(' ').split(' '));
const sentence = (count: number) =>
  Array.from({ length: count }, (_, i) => ['alpha', 'be', 'gamma', 'delta', 'epsilon'][i % 5]).join(' ');

describe('buildCues', () => {
  it('keeps a short segment as one cue on one line with its own times', () => {
    expect(buildCues([{ start: 1, end: 2.5, text: ' Hello there. ' }])).toEqual([
      { start: 1, end: 2.5, lines: ['Hello there.'] },
    ]);
  });

  it('breaks a cue of more than 42 characters into two balanced lines at a word boundary', () => {
    const text = 'The quick brown fox jumps over the lazy dog and runs away';
    const [cue] = buildCues([{ start: 0, end: 4, text }]);
    expect(cue?.lines).toEqual(['The quick brown fox jumps over', 'the lazy dog and runs away']);
  });

  it('splits a long segment into cues of at most 7 s, times shared out by characters', () => {
    // 30 s and about 80 words: the cues of the old exporter.
    const text = sentence(80);
    const cues = buildCues([{ start: 10, end: 40, text }]);
    expect(cues.length).toBeGreaterThanOrEqual(5);
    expect(cues[0]?.start).toBe(10);
    expect(cues[cues.length - 1]?.end).toBe(40);
    for (const cue of cues) {
      expect(cue.end - cue.start).toBeLessThanOrEqual(7);
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(42);
    }
    expect(wordsOfCues(cues).join(' ')).toBe(text);
  });

  it('splits at the 7 s limit even when the text would fit', () => {
    const segment: Segment = {
      start: 0,
      end: 20,
      text: 'slow words here',
      words: [
        { start: 0, end: 1, text: 'slow' },
        { start: 6, end: 7.5, text: 'words' },
        { start: 19, end: 20, text: 'here' },
      ],
    };
    expect(buildCues([segment])).toEqual([
      { start: 0, end: 1, lines: ['slow'] },
      { start: 6, end: 7.5, lines: ['words'] },
      { start: 19, end: 20, lines: ['here'] },
    ]);
  });

  it("uses the engine's word times, and glues whisper's sub-word tokens back into words", () => {
    const segment: Segment = {
      start: 0,
      end: 3,
      text: 'Hello world',
      words: [
        { start: 0.2, end: 0.5, text: ' Hel' },
        { start: 0.5, end: 0.9, text: 'lo' },
        { start: 1.4, end: 2.1, text: ' world' },
      ],
    };
    expect(buildCues([segment])).toEqual([{ start: 0.2, end: 2.1, lines: ['Hello world'] }]);
  });

  it("falls back to proportional times when the engine's words do not spell the text", () => {
    const segment: Segment = {
      start: 0,
      end: 2,
      text: 'ab cd',
      words: [{ start: 0, end: 2, text: 'something else' }],
    };
    expect(buildCues([segment])).toEqual([{ start: 0, end: 2, lines: ['ab cd'] }]);
  });

  it('never splits across segments, nor lets cues overlap when segments do', () => {
    const cues = buildCues([
      { start: 0, end: 3, text: 'first' },
      { start: 2, end: 4, text: 'second' },
    ]);
    expect(cues).toEqual([
      { start: 0, end: 3, lines: ['first'] },
      { start: 3, end: 4, lines: ['second'] },
    ]);
  });

  it('keeps a word longer than a line whole, on a line of its own', () => {
    const long = 'Pneumonoultramicroscopicsilicovolcanoconiosis-and-more';
    const cues = buildCues([{ start: 0, end: 4, text: `a ${long} b` }]);
    expect(cues.flatMap((cue) => cue.lines)).toContain(long);
    expect(wordsOfCues(cues)).toEqual(['a', long, 'b']);
    expect(layoutLines(['tiny', long])).toEqual(['tiny', long]);
  });

  it('gives zero- and negative-length segments a moment on screen without overlapping the next', () => {
    const cues = buildCues([
      { start: 5, end: 5, text: 'zero' },
      { start: 5.4, end: 5, text: 'negative' },
      { start: 9, end: 10, text: 'normal' },
    ]);
    expect(cues).toEqual([
      { start: 5, end: 5.4, lines: ['zero'] },
      { start: 5.4, end: 6.4, lines: ['negative'] },
      { start: 9, end: 10, lines: ['normal'] },
    ]);
  });

  it('skips empty segments and copes with times that are not numbers', () => {
    expect(buildCues([{ start: 0, end: 1, text: '   ' }])).toEqual([]);
    const [cue] = buildCues([{ start: Number.NaN, end: Number.POSITIVE_INFINITY, text: 'odd' }]);
    expect(cue).toEqual({ start: 0, end: 1, lines: ['odd'] });
  });
});

/** Segments as engines make them, including the odd ones: overlaps, zero length, long words, word times. */
const segmentArb: fc.Arbitrary<Segment> = fc
  .record({
    start: fc.double({ min: 0, max: 600, noNaN: true }),
    length: fc.double({ min: -2, max: 40, noNaN: true }),
    words: fc.array(
      fc.oneof(
        { weight: 10, arbitrary: fc.stringMatching(/^[a-zA-Z,.'?!-]{1,12}$/) },
        { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{43,60}$/) },
      ),
      { minLength: 0, maxLength: 60 },
    ),
    withTimes: fc.boolean(),
    timeSeed: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
  })
  .map(({ start, length, words, withTimes, timeSeed }) => {
    const end = start + length;
    const segment: Segment = { start, end, text: words.join(' ') };
    if (withTimes) {
      const span = Math.max(0, length);
      const marks = words.map((_, i) => start + span * (timeSeed[i] ?? 0)).sort((a, b) => a - b);
      segment.words = words.map((text, i) => ({
        start: marks[i] ?? start,
        end: marks[i + 1] ?? end,
        text,
      }));
    }
    return segment;
  });

describe('buildCues, for any segments', () => {
  it('keeps the conventions: in order, no overlap, ≤ 7 s, ≤ 2 lines of ≤ 42 characters, every word once', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { maxLength: 12 }), (segments) => {
        const cues = buildCues(segments);
        let previousEnd = 0;
        for (const cue of cues) {
          expect(cue.start).toBeGreaterThanOrEqual(previousEnd);
          expect(cue.end).toBeGreaterThanOrEqual(cue.start);
          const words = cue.lines.join(' ').split(' ');
          // The one exception to 7 s: a single word the engine heard for longer.
          if (words.length > 1) expect(cue.end - cue.start).toBeLessThanOrEqual(CUE_RULES.maxSeconds + 1e-9);
          expect(cue.lines.length).toBeGreaterThanOrEqual(1);
          expect(cue.lines.length).toBeLessThanOrEqual(2);
          for (const line of cue.lines) {
            if (line.includes(' ')) expect(line.length).toBeLessThanOrEqual(CUE_RULES.maxLineChars);
          }
          previousEnd = cue.end;
        }
        expect(wordsOfCues(cues)).toEqual(wordsOfSegments(segments));
      }),
      { numRuns: 300 },
    );
  });
});
