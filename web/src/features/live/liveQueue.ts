import { skipToken, useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../api/queryKeys';
import type { QueueStatusJson } from '../../api/types';

/**
 * The queue as the event stream last described it, read through `select`:
 * a component re-renders only when what it selects changes (TanStack Query
 * shares equal results structurally), so the running task's progress, ten
 * updates a second, re-renders the active-task card and not the lists.
 * Undefined until the stream's first message.
 */
export function useLiveQueue<T>(select: (queue: QueueStatusJson) => T): T | undefined {
  const { data } = useQuery({
    queryKey: queryKeys.liveQueue,
    // Never fetched: the event stream sets it (LiveStateProvider).
    queryFn: skipToken,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    select,
  });
  return data;
}

/** Background tasks still to do: the Transcriptions tab's badge (plan 5C). */
export function activeTaskCount(queue: Pick<QueueStatusJson, 'pending_count' | 'processing_count'>): number {
  return queue.pending_count + queue.processing_count;
}
