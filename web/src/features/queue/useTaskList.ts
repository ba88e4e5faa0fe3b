import { useCallback } from 'react';
import { api } from '../../api/client';
import type { TaskJson, TaskStatus } from '../../api/types';
import { type PagedList, usePagedList } from '../../lib/usePagedList';

export const TASK_PAGE_SIZE = 50;
/** The API's largest page of tasks. */
const MAX_TASK_LIMIT = 500;

/** One status's tasks, a page at a time (fast with 10,000 of them), refreshed when `refreshKey` changes. */
export function useTaskList(status: TaskStatus, refreshKey: string, enabled = true): PagedList<TaskJson> {
  const fetchPage = useCallback(
    async (cursor: string | null, limit: number) => {
      const page = await api.queue(status, { cursor, limit });
      return { items: page.tasks, nextCursor: page.next_cursor };
    },
    [status],
  );
  return usePagedList(fetchPage, {
    pageSize: TASK_PAGE_SIZE,
    maxLimit: MAX_TASK_LIMIT,
    refreshKey,
    enabled,
  });
}
