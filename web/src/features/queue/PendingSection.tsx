import { memo } from 'react';
import { api } from '../../api/client';
import type { TaskJson } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { formatClock } from '../../lib/format';
import { useAction } from '../notices/NoticesProvider';
import { BackoffNote } from './FailureDetails';
import { TaskListBody } from './TaskListBody';
import { TaskRow } from './TaskRow';
import { TaskSection } from './TaskSection';
import { type PreemptionContext, usePreemptionMarks } from './usePreemptionMarks';
import { useTaskList } from './useTaskList';

/**
 * Tasks waiting their turn, in run order, each with Cancel and Move to front.
 * Memoised on plain values, so the running task's progress (ten updates a
 * second) does not re-render a long list.
 */
export const PendingSection = memo(function PendingSection({
  count,
  preemption,
}: {
  count: number;
  preemption: PreemptionContext;
}) {
  const list = useTaskList('pending');
  const marked = usePreemptionMarks(preemption, list.items);
  const run = useAction();

  return (
    <TaskSection title="Pending" count={count}>
      <TaskListBody
        list={list}
        total={count}
        label="pending tasks"
        empty={<EmptyState title="Nothing is waiting." />}
        renderTask={(task, index) => (
          <TaskRow
            key={task.id}
            task={task}
            details={<PendingDetails task={task} pausedForRecording={marked(task, index)} />}
          >
            <button
              type="button"
              className="button button--small"
              disabled={index === 0}
              aria-label={`Move ${task.display_name} to the front`}
              onClick={() =>
                void run(
                  () => api.moveTaskToFront(task.id),
                  `Could not move ${task.display_name} to the front`,
                )
              }
            >
              Move to front
            </button>
            <button
              type="button"
              className="button button--small button--quiet"
              aria-label={`Cancel ${task.display_name}`}
              onClick={() => void run(() => api.cancelTask(task.id), `Could not cancel ${task.display_name}`)}
            >
              Cancel
            </button>
          </TaskRow>
        )}
      />
    </TaskSection>
  );
}, samePendingProps);

function samePendingProps(
  a: { count: number; preemption: PreemptionContext },
  b: { count: number; preemption: PreemptionContext },
): boolean {
  return (
    a.count === b.count &&
    a.preemption.activeId === b.preemption.activeId &&
    a.preemption.activePreemptedCount === b.preemption.activePreemptedCount &&
    a.preemption.recording === b.preemption.recording &&
    a.preemption.paused === b.preemption.paused
  );
}

function PendingDetails({ task, pausedForRecording }: { task: TaskJson; pausedForRecording: boolean }) {
  const notes: string[] = [];
  if (task.checkpoint_seconds > 0) notes.push(`carries on from ${formatClock(task.checkpoint_seconds)}`);
  const backoff = task.next_attempt_at !== null;
  if (!pausedForRecording && notes.length === 0 && !backoff) return null;
  return (
    <span className="task-row__details">
      {pausedForRecording ? <span className="tag tag--warning">Paused for your recording</span> : null}
      {notes.length > 0 ? <span className="muted">{notes.join('; ')}</span> : null}
      <BackoffNote task={task} />
    </span>
  );
}
