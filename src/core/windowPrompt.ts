/**
 * The previous window's text, given to whisper as the next window's prompt, so
 * that names, spelling and style carry across a 30-second cut. openai/whisper
 * does this by default (condition_on_previous_text) and names its cost: a
 * window that went wrong feeds its mistake to the next one, which is how
 * repetition loops spread; it drops the prompt after a decode it did not
 * trust (temperature above 0.5) and keeps at most half the text context
 * (223 tokens). Hark has no temperature fallback to look at; its guards play
 * that part: a window they had to correct is not trusted as a prompt.
 */

/** About 50 English words, well inside whisper's 223-token prompt whatever the language. */
export const MAX_PROMPT_CHARS = 200;

export interface HeardWindow {
  /** The window's text as the recogniser gave it, before the guards. */
  heard: string;
  /** What the guards kept of it (repetitions cut, text over silence dropped). */
  kept: string;
}

/**
 * The prompt for the window after `previous`, or null: none after no window,
 * after a window with nothing kept, and after one the guards changed (its
 * text may be invented: it is never passed on). Capped to the last
 * MAX_PROMPT_CHARS characters, starting at a word.
 */
export function promptAfter(previous: HeardWindow | null): string | null {
  if (!previous) return null;
  const kept = normalized(previous.kept);
  if (kept.length === 0 || kept !== normalized(previous.heard)) return null;
  if (kept.length <= MAX_PROMPT_CHARS) return kept;
  const tail = kept.slice(-MAX_PROMPT_CHARS);
  const firstSpace = tail.indexOf(' ');
  return firstSpace === -1 ? tail : tail.slice(firstSpace + 1);
}

function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
