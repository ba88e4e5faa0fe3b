import { describe, expect, it } from 'vitest';
import type { Segment } from '../../core/types.js';
import { cutRepetitions } from './repetition.js';

const at = (start: number, text: string): Segment => ({ start, end: start + 2, text });
const texts = (segments: Segment[]) => segments.map((segment) => segment.text);

describe('cutRepetitions', () => {
  it('cuts a one-segment loop of a short phrase down to its first occurrence', () => {
    const loop = `Okay. ${'Thank you. '.repeat(12)}`.trim();
    expect(texts(cutRepetitions([at(0, loop)]))).toEqual(['Okay. Thank you.']);
  });

  it('compares without case or punctuation', () => {
    expect(texts(cutRepetitions([at(0, 'go on, Go on. GO ON! go on... and then')]))).toEqual([
      'go on, and then',
    ]);
  });

  it('keeps one of a run of identical segments, however long the sentence', () => {
    const sentence = 'We will meet again at the station on Monday morning at nine.';
    const segments = [
      at(0, 'Right.'),
      ...[2, 4, 6, 8, 10].map((start) => at(start, sentence)),
      at(12, 'Bye.'),
    ];
    const kept = cutRepetitions(segments);
    expect(texts(kept)).toEqual(['Right.', sentence, 'Bye.']);
    expect(kept[1]?.start).toBe(2);
  });

  it('cuts a loop that runs across segments, dropping the segments it emptied', () => {
    const segments = [
      at(0, 'I said the same thing'),
      at(2, 'the same thing the same thing'),
      at(4, 'the same thing'),
    ];
    expect(texts(cutRepetitions(segments))).toEqual(['I said the same thing']);
  });

  it('leaves ordinary speech and short repeats alone', () => {
    const ordinary = [
      at(0, 'No, no, no, that is not what I meant.'),
      at(2, 'Very, very good. Yes yes yes.'),
      at(4, 'Buffalo buffalo buffalo is a sentence.'),
      at(6, 'The cat sat on the mat, and the dog sat on the cat.'),
      at(8, 'Thank you. Thank you. Thank you.'),
      at(10, 'See you soon.'),
    ];
    expect(cutRepetitions(ordinary)).toEqual(ordinary);
  });

  it('counts the repeats across segments: three and three in a row are six', () => {
    const twice = [at(0, 'Thank you. Thank you. Thank you.'), at(2, 'Thank you. Thank you. Thank you.')];
    expect(texts(cutRepetitions(twice))).toEqual(['Thank you.']);
  });

  it('keeps three identical segments, cuts four', () => {
    const three = [at(0, 'Hello.'), at(2, 'Hello.'), at(4, 'Hello.')];
    expect(cutRepetitions(three)).toEqual(three);
    expect(texts(cutRepetitions([...three, at(6, 'hello')]))).toEqual(['Hello.']);
  });

  it('leaves an empty window empty', () => {
    expect(cutRepetitions([])).toEqual([]);
  });
});

describe('cutRepetitions and word times', () => {
  it('keeps the times of the words that stay', () => {
    const words = ['so', 'yes', 'yes', 'yes', 'yes', 'yes'].map((text, i) => ({
      start: i,
      end: i + 1,
      text,
    }));
    const [cut] = cutRepetitions([{ start: 0, end: 6, text: words.map((w) => w.text).join(' '), words }]);
    expect(cut).toEqual({
      start: 0,
      end: 6,
      text: 'so yes',
      words: [
        { start: 0, end: 1, text: 'so' },
        { start: 1, end: 2, text: 'yes' },
      ],
    });
  });
});
