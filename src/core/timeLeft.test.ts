import { describe, expect, it } from 'vitest';
import { timeLeftWords } from './timeLeft.js';

describe('timeLeftWords', () => {
  it('says an estimate in words, rounded to the minute', () => {
    expect(timeLeftWords(0)).toBe('almost done');
    expect(timeLeftWords(9)).toBe('almost done');
    expect(timeLeftWords(10)).toBe('less than a minute left');
    expect(timeLeftWords(59)).toBe('less than a minute left');
    expect(timeLeftWords(60)).toBe('about 1 min left');
    expect(timeLeftWords(89)).toBe('about 1 min left');
    expect(timeLeftWords(90)).toBe('about 2 min left');
    expect(timeLeftWords(3569)).toBe('about 59 min left');
    expect(timeLeftWords(3600)).toBe('about 1 h left');
    expect(timeLeftWords(3900)).toBe('about 1 h 5 min left');
  });
});
