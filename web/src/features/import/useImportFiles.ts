import { useCallback } from 'react';
import { ApiError, api } from '../../api/client';
import { plural } from '../../lib/format';
import { useNotices } from '../notices/NoticesProvider';
import { askAboutDuplicate } from './duplicates';
import type { ImportLanguage } from './importChoices';

/** How many uploads run at once. */
const PARALLEL_UPLOADS = 2;

/**
 * Sends audio files to the background queue, one request per file so that
 * each refused file (not audio, too large) gets its own message while the
 * others are imported, each in the language the import dialog chose. The new tasks reach the page through the event stream.
 */
export function useImportFiles(): (files: File[], language?: ImportLanguage) => Promise<void> {
  const { notify, dismiss } = useNotices();
  return useCallback(
    async (files: File[], language: ImportLanguage = {}) => {
      if (files.length === 0) return;
      const progress = notify('info', `Importing ${plural(files.length, 'file')}…`);
      const imported: string[] = [];
      const queue = [...files];
      const worker = async () => {
        for (let file = queue.shift(); file; file = queue.shift()) {
          try {
            const { tasks } = await api.importFile(file, { language });
            imported.push(...tasks.map((task) => task.display_name));
          } catch (error) {
            const existingId = duplicateOf(error);
            if (existingId) {
              askAboutDuplicate({ file, existingId, language });
              continue;
            }
            notify(
              'error',
              `${file.name} was not imported: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_UPLOADS, files.length) }, worker));
      dismiss(progress);
      if (imported.length > 0) {
        notify(
          'success',
          imported.length === 1
            ? `${imported[0]} is in the background queue.`
            : `${plural(imported.length, 'file')} are in the background queue.`,
        );
      }
    },
    [notify, dismiss],
  );
}

/** The note a refused import already is (409 duplicate_note), or null for any other refusal. */
function duplicateOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.kind !== 'duplicate_note') return null;
  const id = error.details.existing_id;
  return typeof id === 'string' && id ? id : null;
}
