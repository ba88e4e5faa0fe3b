import { describe, expect, it } from 'vitest';
import {
  capped,
  type FinishedWindow,
  MIN_PROMPTED_SECONDS,
  PROMPT_CAP_CHARS,
  promptAfter,
  promptFor,
} from './windowPrompt.js';

const heard = (text: string, extra: Partial<FinishedWindow> = {}): FinishedWindow => ({
  speech: true,
  kept: [{ text }],
  guardsChanged: false,
  language: 'en',
  ...extra,
});

describe("the previous window's text as the next window's prompt", () => {
  it('passes on a window the guards left as it was, its segments joined, with its language', () => {
    const window = heard('', { kept: [{ text: ' Meet Siobhan' }, { text: 'at  the quay. ' }] });
    expect(promptAfter(window)).toEqual({ text: 'Meet Siobhan at the quay.', language: 'en' });
  });

  it('leaves none after a window without speech, or with nothing kept', () => {
    expect(promptAfter(heard('Thanks for watching!', { speech: false }))).toBeNull();
    expect(promptAfter(heard('', { kept: [] }))).toBeNull();
    expect(promptAfter(heard('   '))).toBeNull();
  });

  it('never passes on a window the guards changed (a loop cut, text over silence dropped), not even what they kept', () => {
    expect(promptAfter(heard('so we went', { guardsChanged: true }))).toBeNull();
  });

  it('keeps only the end of a long window, from the start of a word', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const prompt = promptAfter(heard(words))?.text ?? '';
    expect(prompt.length).toBeLessThanOrEqual(PROMPT_CAP_CHARS);
    expect(prompt.length).toBeGreaterThan(PROMPT_CAP_CHARS - 10);
    expect(words.endsWith(` ${prompt}`)).toBe(true);
    expect(prompt.endsWith('word79')).toBe(true);
  });

  it('takes a cap of its own', () => {
    expect(promptAfter(heard('one two three four'), 9)?.text).toBe('four');
    expect(promptAfter(heard('one two three four'), 10)?.text).toBe('three four');
  });

  it('cuts on a word boundary exactly, and counts characters, not UTF-16 units', () => {
    expect(capped('alpha beta', 4)).toBe('beta');
    expect(capped('alpha beta', 5)).toBe('beta');
    expect(capped('alpha beta', 10)).toBe('alpha beta');
    expect(capped('héllo wörld 😀😀', 8)).toBe('wörld 😀😀');
  });

  it('cuts text without spaces (Japanese) at whole characters', () => {
    expect(capped('今日はいい天気ですね', 4)).toBe('気ですね');
  });

  it('gives the prompt to the next window in the same language, or to one whose language is detected', () => {
    const left = { text: 'Meet Siobhan.', language: 'en' };
    expect(promptFor(left, { language: 'en', seconds: 30 })).toEqual(left);
    expect(promptFor(left, { language: undefined, seconds: 30 })).toEqual(left);
    expect(promptFor(left, { language: 'auto', seconds: 30 })).toEqual(left);
    expect(promptFor({ text: 'Hallo.', language: null }, { language: 'de', seconds: 30 })).toEqual({
      text: 'Hallo.',
      language: null,
    });
  });

  it('gives none to a window that starts a new language, nor when nothing was left', () => {
    expect(promptFor({ text: 'Meet Siobhan.', language: 'en' }, { language: 'de', seconds: 30 })).toBeNull();
    expect(promptFor(null, { language: 'en', seconds: 30 })).toBeNull();
    expect(promptFor(undefined, { language: 'en', seconds: 30 })).toBeNull();
  });

  it("gives none to a window too short to be prompted safely (a file's short last window)", () => {
    const left = { text: 'Meet Siobhan.', language: 'en' };
    expect(promptFor(left, { language: 'en', seconds: MIN_PROMPTED_SECONDS - 0.1 })).toBeNull();
    expect(promptFor(left, { language: 'en', seconds: MIN_PROMPTED_SECONDS })).toEqual(left);
  });
});
