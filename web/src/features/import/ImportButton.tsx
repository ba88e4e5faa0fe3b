import { useRef } from 'react';
import { DuplicateDialog } from './DuplicateDialog';
import { ImportDialog } from './ImportDialog';
import { askHowToImport } from './importChoices';

/** The file picker: the keyboard's way to import, besides dropping files on the window; the import dialog asks the language. */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button" onClick={() => input.current?.click()}>
        Import audio…
      </button>
      <input
        ref={input}
        type="file"
        accept="audio/*,.wav,.mp3,.m4a,.ogg,.opus,.webm,.flac,.aac"
        multiple
        hidden
        aria-label="Audio files to import"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = '';
          askHowToImport(files);
        }}
      />
      <ImportDialog />
      <DuplicateDialog />
    </>
  );
}
