import { useRef } from 'react';
import { DuplicateDialog } from './DuplicateDialog';
import { useImportFiles } from './useImportFiles';

/** The file picker: the keyboard's way to import, besides dropping files on the window. */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const importFiles = useImportFiles();
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
          void importFiles(files);
        }}
      />
      <DuplicateDialog />
    </>
  );
}
