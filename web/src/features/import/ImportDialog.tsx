import '../../styles/import.css';
import { useEffect, useId, useRef, useState } from 'react';
import { plural } from '../../lib/format';
import { useSettings } from '../settings/hooks';
import { LANGUAGES } from '../settings/languages';
import { importDefault, languageWords } from './folderDefault';
import { answerImport, type ImportLanguage, useNextImport } from './importChoices';
import { useImportFiles } from './useImportFiles';

const SHOWN_FILES = 5;

/**
 * "Import audio": the files picked or dropped, the language they are spoken
 * in and whether to translate them into English. Left alone, the choice is
 * the folder rule's or the settings' (named, so the user sees what they get).
 */
export function ImportDialog() {
  const files = useNextImport();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const languageId = useId();
  const translateId = useId();
  const importFiles = useImportFiles();
  const settings = useSettings();
  const [language, setLanguage] = useState('');
  const [translate, setTranslate] = useState<boolean | null>(null);

  const values = settings.data;
  const fallback = values
    ? importDefault({
        language: values.language.value,
        translate: values.translate.value,
        folder_languages: values.folder_languages.value,
      })
    : { language: null, translate: false, from: 'the settings' };

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (files && !element.open) {
      setLanguage('');
      setTranslate(null);
      element.showModal();
    }
    if (!files && element.open) element.close();
  }, [files]);

  const start = () => {
    if (!files) return;
    const choice: ImportLanguage = {};
    if (language) choice.language = language;
    if (translate !== null && translate !== fallback.translate) choice.translate = translate;
    answerImport();
    void importFiles(files, choice);
  };

  return (
    <dialog
      ref={dialog}
      className="dialog import-dialog"
      aria-labelledby={titleId}
      // Escape, or the dialog closed some other way: nothing is imported.
      onClose={() => {
        if (files) answerImport();
      }}
    >
      {files ? (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            start();
          }}
        >
          <h2 id={titleId} className="dialog__title">
            Import {plural(files.length, 'file')}
          </h2>
          <ul className="import-dialog__files">
            {files.slice(0, SHOWN_FILES).map((file, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, where two files may share a name
              <li key={`${index}-${file.name}`}>{file.name}</li>
            ))}
            {files.length > SHOWN_FILES ? <li>and {files.length - SHOWN_FILES} more</li> : null}
          </ul>
          <div className="import-dialog__field">
            <label htmlFor={languageId}>Language spoken</label>
            <select id={languageId} value={language} onChange={(e) => setLanguage(e.target.value)}>
              <option value="">
                As {fallback.from} say{fallback.from === 'the settings' ? '' : 's'} (
                {languageWords(fallback.language)})
              </option>
              <option value="auto">Detect it (multilingual models)</option>
              {LANGUAGES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name} ({code})
                </option>
              ))}
            </select>
          </div>
          <div className="import-dialog__field import-dialog__field--switch">
            <input
              id={translateId}
              type="checkbox"
              role="switch"
              aria-checked={translate ?? fallback.translate}
              checked={translate ?? fallback.translate}
              onChange={(e) => setTranslate(e.target.checked)}
            />
            <label htmlFor={translateId}>Translate into English</label>
          </div>
          <p className="import-dialog__hint">
            They are transcribed in the background and appear in your notes when done.
          </p>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="button button--primary">
              Import
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
