import { describe, expect, it } from 'vitest';
import { MAX_PROMPT_CHARS, promptAfter } from './windowPrompt.js';

describe("the previous window's text as the next window's prompt", () => {
  it('passes on a window the guards left as it was', () => {
    expect(promptAfter({ heard: ' Meet Siobhan at  the quay.', kept: 'Meet Siobhan at the quay.' })).toBe(
      'Meet Siobhan at the quay.',
    );
  });

  it('gives no prompt for the first window or after one with nothing kept', () => {
    expect(promptAfter(null)).toBeNull();
    expect(promptAfter({ heard: '', kept: '' })).toBeNull();
    expect(promptAfter({ heard: 'Thank you.', kept: '' })).toBeNull();
  });

  it('never passes on what the guards cut: a repetition loop or text over silence', () => {
    const loop = 'so we went so we went so we went so we went';
    expect(promptAfter({ heard: loop, kept: 'so we went' })).toBeNull();
    expect(promptAfter({ heard: 'Hello there. Thanks for watching!', kept: 'Hello there.' })).toBeNull();
  });

  it('keeps only the end of a long window, from the start of a word', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const prompt = promptAfter({ heard: words, kept: words }) ?? '';
    expect(prompt.length).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
    expect(words.endsWith(prompt)).toBe(true);
    expect(prompt).toMatch(/^word\d+ /);
    expect(prompt.endsWith('word79')).toBe(true);
  });
});
