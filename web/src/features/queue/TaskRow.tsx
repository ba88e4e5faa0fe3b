import type { ReactNode } from 'react';
import type { TaskJson } from '../../api/types';
import { formatClock } from '../../lib/format';
import { taskKindLabel } from './taskLabels';

/** One task in a list: its name, what kind it is, notes about it, and what can be done with it. */
export function TaskRow({
  task,
  details,
  select,
  children,
}: {
  task: TaskJson;
  details?: ReactNode;
  /** A checkbox for bulk actions (finished rows: removeSelected.tsx). */
  select?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <li className="task-row" data-task-id={task.id}>
      {select}
      <div className="task-row__main">
        <p className="task-row__line">
          <span className="task-row__name" title={task.audio_path}>
            {task.display_name}
          </span>
          <span className="tag">{taskKindLabel(task)}</span>
          {task.duration !== null ? (
            <span className="task-row__duration">{formatClock(task.duration)}</span>
          ) : null}
        </p>
        {details}
      </div>
      {children ? <div className="task-row__actions">{children}</div> : null}
    </li>
  );
}
