import { isWhisperLanguage } from './languages.js';
import { type FolderLanguageRule, normalizeFolder } from './settings.js';

/** What a folder's `.hark.json` says: `{ "language": "de", "translate": false }`. */
export interface FolderFile {
  /** The folder holding the file, relative to the notes folder ('' for the root). */
  folder: string;
  language?: string;
  translate?: boolean;
}

export interface FileLanguage {
  /** A code, `auto`, or null: the engine's default. */
  language: string | null;
  translate: boolean;
  /** Where it came from, for logs: `settings`, `rule Work`, `Work/.hark.json`. */
  from: string;
}

/**
 * The language a file is heard in. The deepest folder that says something
 * wins (a folder and its subfolders → a language); in one folder, a rule set
 * in the settings wins over that folder's `.hark.json` (the page is where the
 * user changes their mind). Language and translation are decided apart: a
 * `.hark.json` that only says `translate` keeps the language from above.
 */
export function resolveFileLanguage(
  relativePath: string,
  defaults: { language: string | null; translate: boolean },
  rules: readonly FolderLanguageRule[],
  files: readonly FolderFile[] = [],
): FileLanguage {
  const folders = foldersOf(relativePath);
  let language: { value: string | null; from: string } = { value: defaults.language, from: 'settings' };
  let translate: { value: boolean; from: string } = { value: defaults.translate, from: 'settings' };
  // From the root down: each deeper folder overrides what its parents said.
  for (const folder of folders) {
    const file = files.find((candidate) => normalizeFolder(candidate.folder) === folder);
    const rule = rules.find((candidate) => normalizeFolder(candidate.folder) === folder);
    const fileFrom = `${folder ? `${folder}/` : ''}.hark.json`;
    if (file?.language !== undefined) language = { value: file.language, from: fileFrom };
    if (file?.translate !== undefined) translate = { value: file.translate, from: fileFrom };
    if (rule) {
      language = { value: rule.language, from: `rule ${folder || '/'}` };
      if (rule.translate !== undefined) translate = { value: rule.translate, from: `rule ${folder || '/'}` };
    }
  }
  const from = language.from === translate.from ? language.from : `${language.from}, ${translate.from}`;
  return { language: language.value, translate: translate.value, from };
}

/** `a/b/c.mp3` → ['', 'a', 'a/b']: the folders a file is in, root first. */
export function foldersOf(relativePath: string): string[] {
  const parts = relativePath
    .replaceAll('\\', '/')
    .split('/')
    .filter((part) => part !== '');
  parts.pop();
  const out = [''];
  for (let i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/**
 * Reads a `.hark.json`'s text. Anything else in it is ignored; a bad language
 * or a file that is not JSON is an error with the reason (the task fails and says so,
 * rather than guessing a language).
 */
export function parseFolderFile(folder: string, text: string): FolderFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${folder ? `${folder}/` : ''}.hark.json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`${folder ? `${folder}/` : ''}.hark.json must be an object like {"language": "de"}`);
  }
  const { language, translate } = raw as Record<string, unknown>;
  const out: FolderFile = { folder };
  if (language !== undefined) {
    if (typeof language !== 'string' || (language !== 'auto' && !isWhisperLanguage(language))) {
      throw new Error(
        `${folder ? `${folder}/` : ''}.hark.json: "language" must be auto or a whisper language code (got ${JSON.stringify(language)})`,
      );
    }
    out.language = language;
  }
  if (translate !== undefined) {
    if (typeof translate !== 'boolean')
      throw new Error(`${folder ? `${folder}/` : ''}.hark.json: "translate" must be true or false`);
    out.translate = translate;
  }
  return out;
}
