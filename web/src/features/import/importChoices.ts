import { useSyncExternalStore } from 'react';

/** The language asked for one import: absent fields leave it to the folder rule and the settings. */
export interface ImportLanguage {
  /** A whisper code or `auto`. */
  language?: string;
  translate?: boolean;
}

/**
 * Files picked or dropped, waiting for the import dialog's answer (the language
 * to hear them in). A tiny store, so the file picker and the window's drop
 * share one dialog; asked one batch at a time.
 */
let waiting: File[][] = [];
const listeners = new Set<() => void>();
const changed = () => {
  for (const listener of listeners) listener();
};

export function askHowToImport(files: File[]): void {
  if (files.length === 0) return;
  waiting = [...waiting, files];
  changed();
}

export function answerImport(): void {
  waiting = waiting.slice(1);
  changed();
}

export function useNextImport(): File[] | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => waiting[0] ?? null,
  );
}
