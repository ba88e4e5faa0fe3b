import { parse as plussubParse } from '@plussub/srt-vtt-parser';
import fc from 'fast-check';
import { parseSync } from 'subtitle';
import { describe, expect, it } from 'vitest';
import { toSrt, toVtt } from './export.js';
import { buildCues, type Cue } from './subtitleCues.js';
import type { Segment } from './types.js';

/** What a player would show: the cue's lines, with WebVTT's character references read back. */
const unescapeVtt = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const ms = (seconds: number) => Math.round(seconds * 1000);

interface Read {
  start: number;
  end: number;
  text: string;
}

/** The same file through both parsers, which must agree with each other. */
function readBack(content: string, format: 'srt' | 'vtt'): Read[] {
  const text = (raw: string) => (format === 'vtt' ? unescapeVtt(raw) : raw);
  const fromSubtitle = parseSync(content).flatMap((node) =>
    node.type === 'cue' ? [{ start: node.data.start, end: node.data.end, text: text(node.data.text) }] : [],
  );
  const fromPlussub = plussubParse(content).entries.map(
    (entry: { from: number; to: number; text: string }) => ({
      start: entry.from,
      end: entry.to,
      text: text(entry.text),
    }),
  );
  expect(fromPlussub).toEqual(fromSubtitle);
  return fromSubtitle;
}

function expected(cues: readonly Cue[], format: 'srt' | 'vtt'): Read[] {
  return cues.map((cue) => ({
    start: ms(cue.start),
    end: ms(cue.end),
    text: cue.lines.map((line) => (format === 'srt' ? line.replace(/-->/g, '->') : line)).join('\n'),
  }));
}

const tricky: Segment[] = [
  { start: 0, end: 2.2, text: 'Fish & chips <b>not bold</b> --> arrow' },
  { start: 2.2, end: 31.7, text: Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ') },
  { start: 3725.25, end: 3726, text: 'an hour in, "quoted" and 1 --> 2' },
];

describe('SRT and WebVTT read back by real parsers (subtitle, @plussub/srt-vtt-parser)', () => {
  for (const format of ['srt', 'vtt'] as const) {
    it(`${format}: every cue's times and text come back`, () => {
      const cues = buildCues(tricky);
      const content = format === 'srt' ? toSrt(cues) : toVtt(cues);
      expect(readBack(content, format)).toEqual(expected(cues, format));
    });

    it(`${format}: so does any transcript`, () => {
      const word = fc.stringMatching(/^[a-zA-Z0-9&<>"',.!?-]{1,10}$/).filter((w) => !/^\d+$/.test(w));
      const segment = fc
        .record({
          start: fc.double({ min: 0, max: 36_000, noNaN: true }),
          length: fc.double({ min: 0, max: 30, noNaN: true }),
          words: fc.array(word, { minLength: 1, maxLength: 40 }),
        })
        .map(({ start, length, words }) => ({ start, end: start + length, text: words.join(' ') }));
      fc.assert(
        fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
          const sorted = [...segments].sort((a, b) => a.start - b.start);
          const cues = buildCues(sorted);
          const content = format === 'srt' ? toSrt(cues) : toVtt(cues);
          const back = readBack(content, format);
          const wanted = expected(cues, format);
          expect(back.map((cue) => cue.text)).toEqual(wanted.map((cue) => cue.text));
          // Times come back to the millisecond (a cue of under half a millisecond may round either way).
          back.forEach((cue, i) => {
            expect(Math.abs(cue.start - (wanted[i]?.start ?? 0))).toBeLessThanOrEqual(1);
            expect(Math.abs(cue.end - (wanted[i]?.end ?? 0))).toBeLessThanOrEqual(1);
          });
        }),
        { numRuns: 100 },
      );
    });
  }

  it('VTT starts with WEBVTT and SRT uses comma milliseconds', () => {
    const cues = buildCues([{ start: 1.5, end: 2, text: 'hi' }]);
    expect(toVtt(cues)).toBe('WEBVTT\n\n00:00:01.500 --> 00:00:02.000\nhi\n');
    expect(toSrt(cues)).toBe('1\n00:00:01,500 --> 00:00:02,000\nhi\n');
  });
});
