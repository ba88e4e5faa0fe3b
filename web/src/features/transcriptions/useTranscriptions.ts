import { useCallback } from 'react';
import { api } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { NoteJson } from '../../api/types';
import { type PagedList, usePagedQuery } from '../../lib/usePagedQuery';

const PAGE_SIZE = 50;

/**
 * The main list, newest first, searched by `query`; the event stream
 * invalidates it whenever the server says it changed.
 */
export function useTranscriptions(query: string): PagedList<NoteJson> {
  const fetchPage = useCallback(
    async (cursor: string | null, limit: number, signal: AbortSignal) => {
      const page = await api.transcriptions(query, { cursor, limit, signal });
      return { items: page.transcriptions, nextCursor: page.next_cursor };
    },
    [query],
  );
  return usePagedQuery(queryKeys.transcriptionList(query), fetchPage, { pageSize: PAGE_SIZE });
}
