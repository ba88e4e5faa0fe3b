import { memo } from 'react';
import { api } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { plural } from '../../lib/format';
import { useAction } from '../notices/NoticesProvider';
import { FailureDetails } from './FailureDetails';
import { RemoveButton } from './RemoveButton';
import { RetryButton } from './RetryButton';
import { RemoveSelectedButton, SelectBox, useSelection } from './removeSelected';
import { TaskHistory } from './TaskHistory';
import { TaskListBody } from './TaskListBody';
import { TaskRow } from './TaskRow';
import { TaskSection } from './TaskSection';
import { useTaskList } from './useTaskList';

/**
 * Tasks that gave up, each saying why in plain words (the raw message behind Details) and
 * offering Retry when that can help, else Remove; and Retry all.
 */
export const FailedSection = memo(function FailedSection({ count }: { count: number }) {
  const list = useTaskList('failed');
  const selection = useSelection(list.items);
  const run = useAction();
  if (count === 0 && list.items.length === 0) return null;

  return (
    <TaskSection
      title="Failed"
      count={count}
      actions={
        <>
          <RemoveSelectedButton selection={selection} />
          <button
            type="button"
            className="button button--small"
            disabled={count === 0}
            aria-label={`Retry all ${plural(count, 'failed task')}`}
            onClick={() => void run(() => api.retryAllFailed(), 'Could not retry the failed tasks')}
          >
            Retry all
          </button>
        </>
      }
    >
      <TaskListBody
        list={list}
        total={count}
        label="failed tasks"
        empty={<EmptyState title="No failed tasks." />}
        renderTask={(task) => (
          <TaskRow
            key={task.id}
            task={task}
            select={<SelectBox task={task} selection={selection} />}
            details={
              <>
                <FailureDetails task={task} />
                <TaskHistory task={task} />
              </>
            }
          >
            {task.retryable ? <RetryButton task={task} /> : <RemoveButton task={task} />}
          </TaskRow>
        )}
      />
    </TaskSection>
  );
});
