import type { FolderRule } from '../settings/api';
import { LANGUAGES } from '../settings/languages';

/** Where imports are saved in the notes folder (src/core/notes.ts IMPORTS_FOLDER). */
export const IMPORTS_FOLDER = 'imports';

/**
 * What an import is heard as when the dialog leaves it to the folder: the rule
 * for imports/ (or the notes folder's root), else the settings, as the
 * server's core/folderLanguage.ts decides. A `.hark.json` in imports/ would
 * still win on the server; the page does not read the notes folder.
 */
export function importDefault(settings: {
  language: string | null;
  translate: boolean;
  folder_languages: FolderRule[];
}): { language: string | null; translate: boolean; from: string } {
  const rule = [IMPORTS_FOLDER, '']
    .map((folder) =>
      settings.folder_languages.find((candidate) => candidate.folder.replace(/^\/+|\/+$/g, '') === folder),
    )
    .find((found) => found !== undefined);
  if (!rule) return { language: settings.language, translate: settings.translate, from: 'the settings' };
  return {
    language: rule.language,
    translate: rule.translate ?? settings.translate,
    from: `the rule for ${rule.folder.replace(/^\/+|\/+$/g, '') || 'the notes folder'}`,
  };
}

/** A language value in words: `de` → German, `auto` → detected, null → the model's default. */
export function languageWords(language: string | null): string {
  if (language === null) return "the model's default";
  if (language === 'auto') return 'detected';
  return LANGUAGES.find(([code]) => code === language)?.[1] ?? language;
}
