import { keepPreviousData, type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type FetchPage<T> = (cursor: string | null, limit: number, signal: AbortSignal) => Promise<Page<T>>;

export interface PagedList<T> {
  items: T[];
  hasMore: boolean;
  /** False until the first page arrived. */
  loaded: boolean;
  /** A fetch is under way (a refresh or the next page). */
  loading: boolean;
  /** The next page, asked for with "Load more", is on its way. */
  loadingMore: boolean;
  error: string | null;
  loadMore: () => void;
}

export interface PagedQueryOptions {
  /** Items per "Load more". */
  pageSize: number;
  /** A list that is not shown (a collapsed section) fetches nothing. */
  enabled?: boolean;
}

function uniqueById<T extends { id: string | number }>(items: T[]): T[] {
  const seen = new Set<string | number>();
  return items.filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}

/**
 * A long list fetched a page at a time with the API's cursors, kept in the
 * query cache under `queryKey`. Invalidating the key (the event stream says
 * the list changed) fetches the pages already shown again; a new key (a new
 * search) starts from the first page, showing the old results meanwhile.
 * A row may move from one page to the next between two fetches: it is shown once.
 */
export function usePagedQuery<T extends { id: string | number }>(
  queryKey: QueryKey,
  fetchPage: FetchPage<T>,
  { pageSize, enabled = true }: PagedQueryOptions,
): PagedList<T> {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, pageSize, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    enabled,
  });
  const { data, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage } = query;
  const items = useMemo(() => uniqueById(data?.pages.flatMap((page) => page.items) ?? []), [data]);
  return {
    items,
    hasMore: hasNextPage,
    loaded: data !== undefined,
    loading: isFetching,
    loadingMore: isFetchingNextPage,
    error: error ? error.message : null,
    loadMore: () => {
      if (!isFetching) void fetchNextPage();
    },
  };
}
