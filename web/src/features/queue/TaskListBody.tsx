import type { ReactNode } from 'react';
import type { TaskJson } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { LoadMoreButton } from '../../components/LoadMoreButton';
import type { PagedList } from '../../lib/usePagedQuery';
import { useTaskFilter } from './TaskFilterBar';
import { matchesTaskFilter } from './taskFilter';

/** A page-at-a-time list of tasks, with its empty state, its error, and "Load more". */
export function TaskListBody({
  list,
  total,
  label,
  empty,
  renderTask,
}: {
  list: PagedList<TaskJson>;
  total: number;
  label: string;
  empty: ReactNode;
  renderTask: (task: TaskJson, index: number) => ReactNode;
}) {
  const filter = useTaskFilter();
  if (list.error && list.items.length === 0) {
    return <EmptyState title={`Could not load the ${label}.`}>{list.error}</EmptyState>;
  }
  if (!list.loaded) return <p className="muted loading-line">Loading…</p>;
  if (list.items.length === 0) return <>{empty}</>;
  return (
    <>
      <ul className="task-list" aria-label={label}>
        {list.items.map((task, index) => (matchesTaskFilter(task, filter) ? renderTask(task, index) : null))}
      </ul>
      {list.hasMore ? (
        <LoadMoreButton
          shown={list.items.length}
          total={total}
          loading={list.loadingMore}
          onClick={list.loadMore}
          noun={label}
        />
      ) : null}
    </>
  );
}
