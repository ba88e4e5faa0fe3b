import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type FetchPage<T> = (cursor: string | null, limit: number) => Promise<Page<T>>;

export interface PagedListOptions {
  /** Items per "Load more". */
  pageSize: number;
  /** The API's largest `limit`: a refresh of a long list fetches pages this big. */
  maxLimit: number;
  /** Any change refreshes the list (the items already shown, fetched again). */
  refreshKey: string;
  /** A change starts the list over from its first page (a new search). */
  resetKey?: string;
  /** A list that is not shown (a collapsed section) fetches nothing. */
  enabled?: boolean;
}

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

interface Loaded<T> {
  items: T[];
  nextCursor: string | null;
  loaded: boolean;
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
 * A long list fetched a page at a time with the API's cursors. When
 * `refreshKey` changes (the event stream says the list changed) the pages
 * already shown are fetched again, in as few requests as the API allows; a
 * change arriving during a fetch is not lost but fetched right after.
 */
export function usePagedList<T extends { id: string | number }>(
  fetchPage: FetchPage<T>,
  { pageSize, maxLimit, refreshKey, resetKey = '', enabled = true }: PagedListOptions,
): PagedList<T> {
  const [state, setState] = useState<Loaded<T>>({ items: [], nextCursor: null, loaded: false });
  const [loading, setLoading] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(state);
  const fetchRef = useRef(fetchPage);
  const wanted = useRef(pageSize);
  /** Results of a fetch started before the latest reset are dropped. */
  const generation = useRef(0);
  const running = useRef(false);
  const again = useRef(false);

  useEffect(() => {
    fetchRef.current = fetchPage;
  }, [fetchPage]);

  const show = useCallback((next: Loaded<T>) => {
    latest.current = next;
    setState(next);
    setError(null);
  }, []);

  const refresh = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    setLoading(true);
    try {
      do {
        again.current = false;
        const started = generation.current;
        try {
          const items: T[] = [];
          let cursor: string | null = null;
          do {
            const limit = Math.max(1, Math.min(maxLimit, wanted.current - items.length));
            const page: Page<T> = await fetchRef.current(cursor, limit);
            items.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor !== null && items.length < wanted.current);
          if (started === generation.current)
            show({ items: uniqueById(items), nextCursor: cursor, loaded: true });
          else again.current = true;
        } catch (caught) {
          if (started === generation.current)
            setError(caught instanceof Error ? caught.message : String(caught));
        }
      } while (again.current);
    } finally {
      running.current = false;
      setLoading(false);
    }
  }, [maxLimit, show]);

  const loadMore = useCallback(async () => {
    const cursor = latest.current.nextCursor;
    if (running.current || cursor === null) return;
    running.current = true;
    setLoading(true);
    setLoadingMore(true);
    const started = generation.current;
    wanted.current = latest.current.items.length + pageSize;
    try {
      const page = await fetchRef.current(cursor, Math.min(maxLimit, pageSize));
      if (started === generation.current) {
        show({
          items: uniqueById([...latest.current.items, ...page.items]),
          nextCursor: page.nextCursor,
          loaded: true,
        });
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      running.current = false;
      setLoading(false);
      setLoadingMore(false);
    }
    if (again.current) void refresh();
  }, [pageSize, maxLimit, refresh, show]);

  // A new search starts over from the first page; what is in flight for the old one is dropped.
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey is the trigger, not an input
  useEffect(() => {
    wanted.current = pageSize;
    generation.current++;
  }, [resetKey, pageSize]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey and resetKey are triggers, not inputs
  useEffect(() => {
    if (enabled) void refresh();
  }, [refreshKey, resetKey, enabled, refresh]);

  useEffect(
    () => () => {
      generation.current++;
    },
    [],
  );

  return {
    items: state.items,
    hasMore: state.nextCursor !== null,
    loaded: state.loaded,
    loading,
    loadingMore,
    error,
    loadMore: () => void loadMore(),
  };
}
