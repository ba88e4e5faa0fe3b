import { describe, expect, it } from 'vitest';
import { progressFraction, windowSegments, wordSegments } from './segments.js';

describe('windowSegments', () => {
  it('turns centiseconds into seconds and trims the text', () => {
    const raw = [
      { text: ' Hello there.', start: 0, end: 240 },
      { text: ' General Kenobi.', start: 240, end: 415 },
    ];
    expect(windowSegments(raw, ' Hello there. General Kenobi.', 30)).toEqual([
      { start: 0, end: 2.4, text: 'Hello there.' },
      { start: 2.4, end: 4.15, text: 'General Kenobi.' },
    ]);
  });

  it('keeps times inside the window, which whisper pads to 30 seconds', () => {
    const raw = [{ text: 'words', start: 150, end: 3000 }];
    expect(windowSegments(raw, 'words', 4)).toEqual([{ start: 1.5, end: 4, text: 'words' }]);
    expect(windowSegments([{ text: 'late', start: 900, end: 1000 }], 'late', 4)).toEqual([
      { start: 4, end: 4, text: 'late' },
    ]);
  });

  it('drops empty segments', () => {
    const raw = [
      { text: ' ', start: 0, end: 100 },
      { text: 'said', start: 100, end: 200 },
    ];
    expect(windowSegments(raw, '  said', 30)).toEqual([{ start: 1, end: 2, text: 'said' }]);
    expect(windowSegments([], '', 30)).toEqual([]);
  });

  it('keeps the whole text as one segment when segments went missing', () => {
    const raw = [{ text: 'first half', start: 0, end: 500 }];
    expect(windowSegments(raw, ' first half and the second half', 12)).toEqual([
      { start: 0, end: 12, text: 'first half and the second half' },
    ]);
  });
});

describe('progressFraction', () => {
  it('turns percent into a fraction within 0..1', () => {
    expect(progressFraction(0)).toBe(0);
    expect(progressFraction(37)).toBe(0.37);
    expect(progressFraction(1086)).toBe(1);
    expect(progressFraction(-5)).toBe(0);
    expect(progressFraction(Number.NaN)).toBe(0);
  });
});

describe('wordSegments', () => {
  const word = (text: string, start: number, end: number) => ({ text, start, end });

  it('groups one-word segments into sentences that carry their words’ times', () => {
    const raw = [
      word('', 0, 0),
      word('Hello', 0, 40),
      word('there.', 40, 90),
      word('General', 100, 160),
      word('Kenobi!', 160, 230),
    ];
    expect(wordSegments(raw, ' Hello there. General Kenobi!', 30)).toEqual([
      {
        start: 0,
        end: 0.9,
        text: 'Hello there.',
        words: [
          { start: 0, end: 0.4, text: 'Hello' },
          { start: 0.4, end: 0.9, text: 'there.' },
        ],
      },
      {
        start: 1,
        end: 2.3,
        text: 'General Kenobi!',
        words: [
          { start: 1, end: 1.6, text: 'General' },
          { start: 1.6, end: 2.3, text: 'Kenobi!' },
        ],
      },
    ]);
  });

  it('ends a segment at a pause of a second, and at 30 words', () => {
    const paused = wordSegments([word('before', 0, 50), word('after', 200, 250)], 'before after', 30);
    expect(paused.map((segment) => segment.text)).toEqual(['before', 'after']);
    const many = Array.from({ length: 45 }, (_, i) => word(`w${i}`, i * 10, i * 10 + 10));
    const long = wordSegments(many, many.map((w) => w.text).join(' '), 30);
    expect(long.map((segment) => segment.words?.length)).toEqual([30, 15]);
  });

  it('keeps the text as one segment without words when the words do not account for it', () => {
    expect(wordSegments([word('lost', 0, 50)], 'lost words', 4)).toEqual([
      { start: 0, end: 4, text: 'lost words' },
    ]);
    expect(wordSegments([], '', 30)).toEqual([]);
  });
});
