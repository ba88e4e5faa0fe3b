import { memo, useState } from 'react';
import { api } from '../../api/client';
import type { TaskJson } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { formatDate } from '../../lib/format';
import { noteHref } from '../notebook/useNoteRoute';
import { useAction } from '../notices/NoticesProvider';
import { RemoveButton } from './RemoveButton';
import { RetryButton } from './RetryButton';
import { RemoveSelectedButton, SelectBox, useSelection } from './removeSelected';
import { TaskHistory } from './TaskHistory';
import { TaskListBody } from './TaskListBody';
import { TaskRow } from './TaskRow';
import { TaskSection } from './TaskSection';
import { useTaskList } from './useTaskList';

/** A collapsible list of finished tasks (completed, or cancelled with Retry), newest first. */
export const FinishedSection = memo(function FinishedSection({
  status,
  count,
}: {
  status: 'completed' | 'cancelled';
  count: number;
}) {
  const [expanded, setExpanded] = useState(false);
  const run = useAction();
  const list = useTaskList(status, expanded);
  const selection = useSelection(list.items);
  const completed = status === 'completed';
  const label = `${status} tasks`;

  return (
    <TaskSection
      title={completed ? 'Completed' : 'Cancelled'}
      count={count}
      collapsible
      expanded={expanded}
      onToggle={() => setExpanded((open) => !open)}
      actions={
        <>
          {expanded ? <RemoveSelectedButton selection={selection} /> : null}
          {completed ? null : (
            <button
              type="button"
              className="button button--small"
              disabled={count === 0}
              onClick={() => void run(() => api.clearCancelled(), 'Could not clear the cancelled tasks')}
            >
              Clear cancelled
            </button>
          )}
        </>
      }
    >
      <TaskListBody
        list={list}
        total={count}
        label={label}
        empty={
          <EmptyState title={completed ? 'No completed tasks.' : 'No cancelled tasks.'}>
            {completed
              ? 'Finished transcriptions stay in the Transcriptions tab; this list only keeps track of the work.'
              : null}
          </EmptyState>
        }
        renderTask={(task) => (
          <TaskRow
            key={task.id}
            task={task}
            select={<SelectBox task={task} selection={selection} />}
            details={
              <>
                <FinishedAt task={task} />
                <TaskHistory task={task} />
              </>
            }
          >
            {completed ? (
              <a
                className="button button--small"
                href={noteHref(task.transcription_id)}
                aria-label={`Open the note of ${task.display_name}`}
              >
                Open note
              </a>
            ) : (
              <>
                <RetryButton task={task} />
                <RemoveButton task={task} />
              </>
            )}
          </TaskRow>
        )}
      />
    </TaskSection>
  );
});

function FinishedAt({ task }: { task: TaskJson }) {
  if (!task.completed_at) return null;
  return (
    <span className="task-row__details muted">
      {task.status === 'completed' ? 'Finished' : 'Cancelled'} {formatDate(task.completed_at)}
    </span>
  );
}
