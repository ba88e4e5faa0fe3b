import { EmptyState } from '../../components/EmptyState';
import { useLiveState } from '../live/LiveStateProvider';
import { ActiveTaskCard } from './ActiveTaskCard';
import { FailedSection } from './FailedSection';
import { FinishedSection } from './FinishedSection';
import { PendingSection } from './PendingSection';
import { QueueToolbar } from './QueueToolbar';

/** The plan's Background Tasks tab (5A): counts, pause, the running task, and the lists. */
export function BackgroundTasksTab() {
  const { queue, epoch } = useLiveState();
  if (!queue) return <p className="muted loading-line">Loading the queue…</p>;

  // Any change in any count may move tasks between the lists; a reconnection may have missed some.
  const refreshKey = [
    queue.pending_count,
    queue.processing_count,
    queue.completed_count,
    queue.failed_count,
    queue.cancelled_count,
    epoch,
  ].join('|');
  const nothingToDo = queue.pending_count + queue.processing_count + queue.failed_count === 0;

  return (
    <div className="tasks-tab">
      <QueueToolbar queue={queue} />
      {nothingToDo ? (
        <EmptyState title="No background tasks: every audio file in your notes folder has a transcript.">
          New audio that appears there, and files you drop into this window, are transcribed here in the
          background.
        </EmptyState>
      ) : (
        <>
          <ActiveTaskCard queue={queue} />
          <PendingSection
            count={queue.pending_count}
            // The stream's first page of pending ids changes when the order does (move to front).
            refreshKey={`${refreshKey}|${queue.tasks.map((task) => task.id).join(',')}`}
            preemption={{
              activeId: queue.active_task?.id ?? null,
              activePreemptedCount: queue.active_task?.preempted_count ?? 0,
              recording: queue.recording_state !== 'Idle',
              paused: queue.is_paused,
            }}
          />
        </>
      )}
      <FailedSection count={queue.failed_count} refreshKey={refreshKey} />
      <FinishedSection status="completed" count={queue.completed_count} refreshKey={refreshKey} />
      {queue.cancelled_count > 0 ? (
        <FinishedSection status="cancelled" count={queue.cancelled_count} refreshKey={refreshKey} />
      ) : null}
    </div>
  );
}
