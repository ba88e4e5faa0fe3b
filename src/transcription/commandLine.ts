import { BadRequest } from '../core/errors.js';

/**
 * Splits a command template into argv the way a POSIX shell would split
 * words, without any of its other powers (no variables, globs, pipes or
 * redirections): words are separated by whitespace; '…' is taken literally;
 * "…" allows \" and \\; outside quotes a backslash escapes the next character.
 * The program then runs with `shell: false`, so nothing in a file name can
 * be interpreted as a command.
 */
export function splitCommandLine(template: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < template.length; i++) {
    const char = template.charAt(i);
    if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (char === "'") {
      const end = template.indexOf("'", i + 1);
      if (end < 0) throw new BadRequest(`Unterminated ' in the command: ${template}`);
      word += template.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      const [text, end] = readDoubleQuoted(template, i + 1);
      word += text;
      i = end;
    } else if (char === '\\' && i + 1 < template.length) {
      word += template.charAt(i + 1);
      i++;
    } else {
      word += char;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Reads "…" from just after the opening quote; returns the text and the index of the closing quote. */
function readDoubleQuoted(template: string, from: number): [string, number] {
  let text = '';
  for (let i = from; i < template.length; i++) {
    const char = template.charAt(i);
    if (char === '"') return [text, i];
    const next = template.charAt(i + 1);
    if (char === '\\' && (next === '"' || next === '\\')) {
      text += next;
      i++;
    } else {
      text += char;
    }
  }
  throw new BadRequest(`Unterminated " in the command: ${template}`);
}

/**
 * Replaces `{name}` placeholders inside each word (after splitting, so a path
 * with spaces stays one argument). Unknown placeholders are left as they are.
 */
export function fillPlaceholders(
  words: readonly string[],
  values: Readonly<Record<string, string>>,
): string[] {
  return words.map((word) =>
    word.replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder),
  );
}

/** Whether any word uses the `{name}` placeholder. */
export function usesPlaceholder(words: readonly string[], name: string): boolean {
  return words.some((word) => word.includes(`{${name}}`));
}
