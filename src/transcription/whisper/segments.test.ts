import { describe, expect, it } from 'vitest';
import { progressFraction, windowSegments } from './segments.js';

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
