import type { TaskJson } from '../../api/types';
import { formatTime, formatTimeWithSeconds } from '../../lib/format';
import { RetryButton } from './RetryButton';

/** "Tried 3 of 3 times": how many of its attempts a task has used. */
export function attemptsText(task: TaskJson): string {
  const allowed = task.max_retries + 1;
  return `Tried ${Math.min(task.attempts, allowed)} of ${allowed} times`;
}

/**
 * What went wrong with a failed task, for people: the plain sentence and what to do next, how
 * many attempts it used (when retries can help), and the raw message behind a "Details" toggle.
 * A permanent failure keeps a "Retry anyway" there, for a file the user has since repaired.
 */
export function FailureDetails({ task }: { task: TaskJson }) {
  return (
    <div className="failure">
      <p className="task-row__error">
        <span className="visually-hidden">Error: </span>
        {task.error_summary ?? 'It failed without saying why.'}
      </p>
      {task.error_next_step ? <p className="failure__next">{task.error_next_step}</p> : null}
      {task.retryable && task.attempts > 0 ? (
        <p className="failure__attempts muted">
          {attemptsText(task)}
          {task.completed_at ? `; the last at ${formatTime(task.completed_at)}` : ''}
        </p>
      ) : null}
      {task.error_message ? (
        <details className="failure__details">
          <summary>Details</summary>
          <p className="failure__raw">{task.error_message}</p>
          {task.retryable ? null : <RetryButton task={task} label="Retry anyway" />}
        </details>
      ) : null}
    </div>
  );
}

/** For a pending task in backoff after a failure: which attempt failed, why, and when the next one comes. */
export function BackoffNote({ task }: { task: TaskJson }) {
  if (task.next_attempt_at === null) return null;
  const due = new Date(task.next_attempt_at).getTime() > Date.now();
  const when = due ? `next try at ${formatTimeWithSeconds(task.next_attempt_at)}` : 'trying again shortly';
  return (
    <span className="muted" title={task.error_message ?? undefined}>
      {`${task.error_summary ?? 'It failed without saying why.'} Attempt ${task.attempts} of ${task.max_retries + 1} failed; ${when}.`}
    </span>
  );
}
