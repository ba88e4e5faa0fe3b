import { useCallback } from 'react';
import { api } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { TaskJson, TaskStatus } from '../../api/types';
import { type PagedList, usePagedQuery } from '../../lib/usePagedQuery';

export const TASK_PAGE_SIZE = 50;

/**
 * One status's tasks, a page at a time (fast with 10,000 of them); the event
 * stream invalidates them when the queue's counts or order change.
 */
export function useTaskList(status: TaskStatus, enabled = true): PagedList<TaskJson> {
  const fetchPage = useCallback(
    async (cursor: string | null, limit: number, signal: AbortSignal) => {
      const page = await api.queue(status, { cursor, limit, signal });
      return { items: page.tasks, nextCursor: page.next_cursor };
    },
    [status],
  );
  return usePagedQuery(queryKeys.taskList(status), fetchPage, { pageSize: TASK_PAGE_SIZE, enabled });
}
