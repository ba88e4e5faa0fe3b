import { useId } from 'react';
import { shortNodeName } from '../../../../src/core/nodeId';
import { api } from '../../api/client';
import type { QueueStatusJson, TaskJson } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { formatClock, formatTimeLeft } from '../../lib/format';
import { useLiveQueue } from '../live/liveQueue';
import { useAction } from '../notices/NoticesProvider';
import { taskKindLabel } from './taskLabels';

/** The one part of the tab that follows the running tasks' progress, ten updates a second. */
const selectActive = (queue: QueueStatusJson) => ({
  // Every running task, on every node (a server from before active_tasks sends active_task only).
  active_tasks: queue.active_tasks ?? (queue.active_task ? [queue.active_task] : []),
  recording_state: queue.recording_state,
  pending_count: queue.pending_count,
});

/**
 * The plan's "Currently processing" card, one per running task (several when worker nodes share
 * the queue, each naming its node), or why nothing is running.
 */
export function ActiveTaskCard() {
  const headingId = useId();
  const queue = useLiveQueue(selectActive);
  if (!queue) return null;
  const tasks = queue.active_tasks;
  if (tasks.length > 0) {
    return (
      <>
        {tasks.map((task) => (
          <RunningTask key={task.id} task={task} />
        ))}
      </>
    );
  }
  if (queue.recording_state !== 'Idle' && queue.pending_count > 0) {
    return (
      <section className="active-card active-card--waiting" aria-labelledby={headingId}>
        <h3 id={headingId} className="active-card__heading">
          Paused for your recording
        </h3>
        <p className="muted">
          Background work waits while you record and while Hark transcribes your recording; it carries on from
          where it stopped afterwards.
        </p>
      </section>
    );
  }
  return null;
}

function RunningTask({ task }: { task: TaskJson }) {
  const headingId = useId();
  const run = useAction();
  const percent = Math.round(task.progress * 100);
  return (
    <section className="active-card" aria-labelledby={headingId}>
      <div className="active-card__top">
        <h3 id={headingId} className="active-card__heading">
          Currently processing
        </h3>
        <button
          type="button"
          className="button button--quiet"
          aria-label={`Cancel ${task.display_name}`}
          onClick={() => void run(() => api.cancelTask(task.id), `Could not cancel ${task.display_name}`)}
        >
          Cancel
        </button>
      </div>
      <p className="active-card__name" title={task.audio_path}>
        {task.display_name}
      </p>
      <p className="active-card__meta">
        <span className="tag">{taskKindLabel(task)}</span>
        {task.duration !== null ? <span>{formatClock(task.duration)} of audio</span> : null}
        {task.retry_count > 0 ? <span>retry {task.retry_count}</span> : null}
        {task.node ? (
          <span className="active-card__node" title={task.node}>
            on {shortNodeName(task.node)}
          </span>
        ) : null}
      </p>
      <ProgressBar value={task.progress} label={`Transcribing ${task.display_name}`} />
      <p className="active-card__progress">
        <span>{percent}%</span>
        <span className="active-card__eta">{formatTimeLeft(task.eta_seconds)}</span>
      </p>
      <ProgressAnnouncer name={task.display_name} percent={percent} />
    </section>
  );
}

/** Says the progress to screen readers in steps of a quarter, not at every update. */
function ProgressAnnouncer({ name, percent }: { name: string; percent: number }) {
  const step = Math.floor(percent / 25) * 25;
  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true">
      {`${name}: ${step}% transcribed`}
    </p>
  );
}
