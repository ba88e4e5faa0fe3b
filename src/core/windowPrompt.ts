/**
 * The previous window's text, given to whisper as the next window's prompt
 * (its `initial_prompt`), so that names, spelling and style carry across a
 * 30-second cut. openai/whisper does this by default (condition_on_previous_text)
 * and names its cost: a window that went wrong feeds its mistake to the next
 * one, which is how repetition loops spread; it drops the prompt after a
 * decode it did not trust. Hark has no temperature fallback to look at; its
 * guards play that part: a window they had to correct is not trusted.
 *
 * The rule is applied when a window finishes, and what it decides is stored
 * with that window's checkpoint, so a task resumed after window k gives
 * window k+1 exactly the prompt an uninterrupted run would have.
 */

/** About 50 English words: well inside whisper's prompt (half its 448-token text context) whatever the language. */
export const PROMPT_CAP_CHARS = 200;

/**
 * A window shorter than this stands alone. whisper.cpp drops its own carried
 * prompt when less than 5 s of audio is left, because with so little audio a
 * prompt "tends to confuse the decoder and often make it repeat or
 * hallucinate" (whisper_full_with_state); a file's short last window is that case.
 */
export const MIN_PROMPTED_SECONDS = 5;

/** What the engine knows of a finished window: all the rule needs. */
export interface FinishedWindow {
  /** Voice detection found speech in it; a window without speech was never heard. */
  speech: boolean;
  /** What the guards kept of its text (annotations removed, repetitions cut, text over silence dropped). */
  kept: readonly { text: string }[];
  /** The guards changed what the recogniser heard: cut a repetition loop or dropped a segment over silence. */
  guardsChanged: boolean;
  /** The language the window was heard in, or null when the recogniser did not say. */
  language: string | null;
}

/** The text a window leaves for the next one, and the language it was heard in. */
export interface WindowPrompt {
  text: string;
  language: string | null;
}

/**
 * The prompt `window` leaves for the window after it, or null: none after a
 * window without speech, with nothing kept, or one the guards changed (its
 * text may be invented, and a loop passed on is a loop repeated). Capped to
 * the END of the text, at most `cap` characters, starting at a word.
 */
export function promptAfter(window: FinishedWindow, cap = PROMPT_CAP_CHARS): WindowPrompt | null {
  if (!window.speech || window.guardsChanged) return null;
  const text = capped(normalized(window.kept.map((segment) => segment.text).join(' ')), cap);
  return text.length === 0 ? null : { text, language: window.language };
}

/** The window a prompt would be given to: the language it is asked to be heard in, and its length. */
export interface NextWindow {
  /** A language code, or undefined (or `auto`) for whisper's detection. */
  language: string | undefined;
  seconds: number;
}

/**
 * The prompt the next window gets from what the window before it left: none
 * for a window shorter than MIN_PROMPTED_SECONDS, nor when what was left was
 * heard in another language (a prompt in one language pulls the decoder
 * towards it: a window that starts a new language stands alone). With
 * detection the window's language is known only once it is heard; the
 * recogniser is given the prompt's language to drop it then (host.ts).
 */
export function promptFor(left: WindowPrompt | null | undefined, next: NextWindow): WindowPrompt | null {
  if (!left || left.text.length === 0 || next.seconds < MIN_PROMPTED_SECONDS) return null;
  const asked = next.language;
  if (asked !== undefined && asked !== 'auto' && left.language !== null && left.language !== asked)
    return null;
  return left;
}

/** The last `cap` characters of `text` (whole characters), from the start of a word when it has spaces. */
export function capped(text: string, cap: number): string {
  const chars = Array.from(text);
  if (chars.length <= cap) return text;
  const tail = chars.slice(-cap).join('');
  // The character before the tail ends a word when it is a space; otherwise the tail starts mid-word.
  if (/\s/.test(chars[chars.length - cap - 1] ?? ' ')) return tail.trimStart();
  const space = tail.search(/\s/);
  // A text without spaces (Chinese, Japanese, Thai) has no word boundary to find: whole characters will do.
  return space === -1 ? tail : tail.slice(space + 1).trimStart();
}

function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
