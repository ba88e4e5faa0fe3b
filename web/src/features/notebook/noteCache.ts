import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import { queryKeys } from '../../api/queryKeys';
import type { NoteJson } from '../../api/types';
import type { Page } from '../../lib/usePagedQuery';

type Cached = NoteJson | InfiniteData<Page<NoteJson>, unknown> | undefined;

function isPaged(data: Cached): data is InfiniteData<Page<NoteJson>, unknown> {
  return typeof data === 'object' && data !== null && 'pages' in data;
}

/** What the caches held before an optimistic change, to put back if the server refuses it. */
export type CacheSnapshot = [QueryKey, unknown][];

/**
 * Changes one note everywhere the page shows it (every search's list, the
 * trash, the transcript view) before the server answers: `change` returns
 * the new note, or null to take it out of the lists. Returns what was there.
 */
export function changeNoteInCaches(
  client: QueryClient,
  id: string,
  change: (note: NoteJson) => NoteJson | null,
): CacheSnapshot {
  const snapshot = client.getQueriesData<Cached>({ queryKey: queryKeys.transcriptions });
  for (const [key, data] of snapshot) {
    if (data === undefined) continue;
    if (isPaged(data)) {
      const pages = data.pages.map((page) => ({
        ...page,
        items: page.items.flatMap((note) => {
          if (note.id !== id) return [note];
          const changed = change(note);
          return changed ? [changed] : [];
        }),
      }));
      client.setQueryData(key, { ...data, pages });
    } else if (data.id === id) {
      const changed = change(data);
      if (changed) client.setQueryData(key, changed);
    }
  }
  return snapshot;
}

export function restoreCaches(client: QueryClient, snapshot: CacheSnapshot): void {
  for (const [key, data] of snapshot) client.setQueryData(key, data);
}

/** A note that is not in the page's caches any more is fetched again with every list. */
export function refreshNotes(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: queryKeys.transcriptions });
}
