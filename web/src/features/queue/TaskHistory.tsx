import { useId, useState } from 'react';
import type { TaskJson } from '../../api/types';
import { type AttemptJson, useAttempts } from '../stats/api';

const time = (ms: number) => new Date(ms).toLocaleString();

function outcomeLabel(attempt: AttemptJson): string {
  if (attempt.outcome === null) return 'running';
  // A pre-empted attempt stepped aside (for a recording or a pause) and the task carried on later.
  if (attempt.outcome === 'preempted') return 'pre-empted (stepped aside, resumed later)';
  const kind = attempt.error_kind ? ` (${attempt.error_kind.replaceAll('_', ' ')})` : '';
  return `${attempt.outcome.replaceAll('_', ' ')}${kind}`;
}

/** A finished task's "History" toggle: how often it was pre-empted, then each attempt with its start, end, engine (and model), worker and outcome. */
export function TaskHistory({ task }: { task: TaskJson }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="task-history">
      <button
        type="button"
        className="button button--small button--quiet"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        History
      </button>
      {open ? (
        <>
          {task.preempted_count > 0 ? (
            <p className="muted task-history__preempted">
              Pre-empted {task.preempted_count === 1 ? 'once' : `${task.preempted_count} times`} (it stepped
              aside for a recording or a pause, and carried on from its checkpoint).
            </p>
          ) : null}
          <Attempts id={id} taskId={task.id} />
        </>
      ) : null}
    </div>
  );
}

function Attempts({ id, taskId }: { id: string; taskId: number }) {
  const attempts = useAttempts(taskId);
  if (attempts.error)
    return (
      <p id={id} className="error-line">
        Could not read the history: {attempts.error.message}
      </p>
    );
  if (!attempts.data)
    return (
      <p id={id} className="muted">
        Loading…
      </p>
    );
  if (attempts.data.length === 0)
    return (
      <p id={id} className="muted">
        No attempts recorded.
      </p>
    );
  return (
    <ol id={id} className="task-history__list" aria-label="Attempts">
      {attempts.data.map((a) => (
        <li key={a.id} className="task-history__item">
          <span className="task-history__outcome">{outcomeLabel(a)}</span>{' '}
          <span className="muted">
            {time(a.started_at)}
            {a.ended_at !== null ? ` → ${new Date(a.ended_at).toLocaleTimeString()}` : ''} ·{' '}
            {a.engine ?? 'no engine'} · {a.worker}
          </span>
        </li>
      ))}
    </ol>
  );
}
