import { type InfiniteData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { NoteJson } from '../../api/types';
import type { Page } from '../../lib/usePagedQuery';

/**
 * One note, for the transcript view. It opens at once with the copy the
 * list already has, then the server's own (the event stream refreshes it).
 */
export function useNote(id: string) {
  const client = useQueryClient();
  return useQuery<NoteJson>({
    queryKey: queryKeys.note(id),
    queryFn: ({ signal }) => api.transcription(id, signal),
    placeholderData: () => fromLists(client.getQueriesData({ queryKey: queryKeys.transcriptions }), id),
    // A note that is gone (trashed elsewhere) is said so at once.
    retry: false,
  });
}

function fromLists(cached: [unknown, unknown][], id: string): NoteJson | undefined {
  for (const [, data] of cached) {
    const pages = (data as InfiniteData<Page<NoteJson>> | undefined)?.pages;
    if (!Array.isArray(pages)) continue;
    for (const page of pages) {
      const note = page.items.find((item) => item.id === id);
      if (note) return note;
    }
  }
  return undefined;
}
