import { useCallback } from 'react';
import { api } from '../../api/client';
import type { TranscriptionJson } from '../../api/types';
import { type PagedList, usePagedList } from '../../lib/usePagedList';
import { useLiveState } from '../live/LiveStateProvider';

const PAGE_SIZE = 30;
/** The API's largest page of transcriptions. */
const MAX_LIMIT = 200;

/** The main list, newest first, searched by `query`; fetched again whenever the server says it changed. */
export function useTranscriptions(query: string): PagedList<TranscriptionJson> {
  const { transcriptionsVersion, epoch } = useLiveState();
  const fetchPage = useCallback(
    async (cursor: string | null, limit: number) => {
      const page = await api.transcriptions(query, { cursor, limit });
      return { items: page.transcriptions, nextCursor: page.next_cursor };
    },
    [query],
  );
  return usePagedList(fetchPage, {
    pageSize: PAGE_SIZE,
    maxLimit: MAX_LIMIT,
    refreshKey: `${transcriptionsVersion}|${epoch}`,
    resetKey: query,
  });
}
