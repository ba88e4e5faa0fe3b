import { useSyncExternalStore } from 'react';
import type { ImportLanguage } from './importChoices';

/** An import the server refused because its audio is already a note. */
export interface DuplicateImport {
  file: File;
  existingId: string;
  /** The language the import dialog chose, kept for "Import anyway". */
  language?: ImportLanguage;
}

/**
 * The imports waiting for the user's answer ("Open existing" or "Import
 * anyway"), asked one at a time. A tiny store, so that the file picker and
 * the window's drop share one dialog.
 */
let waiting: DuplicateImport[] = [];
const listeners = new Set<() => void>();
const changed = () => {
  for (const listener of listeners) listener();
};

export function askAboutDuplicate(duplicate: DuplicateImport): void {
  waiting = [...waiting, duplicate];
  changed();
}

export function answerDuplicate(): void {
  waiting = waiting.slice(1);
  changed();
}

export function useNextDuplicate(): DuplicateImport | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => waiting[0] ?? null,
  );
}
