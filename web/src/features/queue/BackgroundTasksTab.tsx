import { useState } from 'react';
import type { QueueStatusJson } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { useLiveQueue } from '../live/liveQueue';
import { ActiveTaskCard } from './ActiveTaskCard';
import { FailedSection } from './FailedSection';
import { FinishedSection } from './FinishedSection';
import { PendingSection } from './PendingSection';
import { QueueToolbar } from './QueueToolbar';
import { TaskFilterBar, TaskFilterContext } from './TaskFilterBar';
import { NO_FILTER } from './taskFilter';

/**
 * What the tab's layout needs of the queue: plain values, equal from one
 * progress tick to the next, so a tick does not re-render the tab or its lists.
 */
const selectLayout = (queue: QueueStatusJson) => ({
  pending: queue.pending_count,
  failed: queue.failed_count,
  completed: queue.completed_count,
  cancelled: queue.cancelled_count,
  nothingToDo: queue.pending_count + queue.processing_count + queue.failed_count === 0,
  preemption: {
    activeId: queue.active_task?.id ?? null,
    activePreemptedCount: queue.active_task?.preempted_count ?? 0,
    recording: queue.recording_state !== 'Idle',
    paused: queue.is_paused,
  },
});

/** The plan's Background Tasks tab (5A): counts, pause, the running task, and the lists. */
export function BackgroundTasksTab() {
  const layout = useLiveQueue(selectLayout);
  const [filter, setFilter] = useState(NO_FILTER);
  if (!layout) return <p className="muted loading-line">Loading the queue…</p>;

  return (
    <TaskFilterContext.Provider value={filter}>
      <div className="tasks-tab">
        <QueueToolbar />
        <TaskFilterBar value={filter} onChange={setFilter} />
        {layout.nothingToDo ? (
          <EmptyState title="No background tasks: every audio file in your notes folder has a transcript.">
            New audio that appears there, and files you drop into this window, are transcribed here in the
            background.
          </EmptyState>
        ) : (
          <>
            <ActiveTaskCard />
            <PendingSection count={layout.pending} preemption={layout.preemption} />
          </>
        )}
        <FailedSection count={layout.failed} />
        <FinishedSection status="completed" count={layout.completed} />
        {layout.cancelled > 0 ? <FinishedSection status="cancelled" count={layout.cancelled} /> : null}
      </div>
    </TaskFilterContext.Provider>
  );
}
