import { api } from '../../api/client';
import type { QueueStatusJson } from '../../api/types';
import { CountBadge } from '../../components/CountBadge';
import { formatTimeLeft } from '../../lib/format';
import { useLiveState } from '../live/LiveStateProvider';
import { useLiveQueue } from '../live/liveQueue';
import { useAction } from '../notices/NoticesProvider';
import { pauseExplanation } from './taskLabels';

type ToolbarState = ReturnType<typeof selectToolbar>;

/** What the toolbar shows: a progress tick of the running task changes none of it. */
const selectToolbar = (queue: QueueStatusJson) => ({
  pending_count: queue.pending_count,
  completed_count: queue.completed_count,
  failed_count: queue.failed_count,
  is_paused: queue.is_paused,
  pause_reason: queue.pause_reason,
  recording_state: queue.recording_state,
  running: queue.active_task !== null,
  // Worker nodes (hark worker) each run one: several at once.
  runningCount: queue.active_tasks?.length ?? (queue.active_task ? 1 : 0),
  // As words ("about 3 min left"): the running task's ticks between them change nothing here.
  total:
    queue.eta_total_seconds === null || queue.pending_count + (queue.active_tasks?.length ?? 0) === 0
      ? null
      : formatTimeLeft(queue.eta_total_seconds),
});

/** The counts, the pause toggle (the persisted state, and why) and Clear Completed. */
export function QueueToolbar() {
  const queue = useLiveQueue(selectToolbar);
  const { applyPause } = useLiveState();
  const run = useAction();
  if (!queue) return null;
  const explanation = pauseExplanation(queue);

  const togglePause = () =>
    void run(
      async () => {
        applyPause(queue.is_paused ? await api.resume() : await api.pause());
      },
      queue.is_paused ? 'Could not resume' : 'Could not pause',
    );

  return (
    <div className="queue-toolbar">
      <div className="queue-toolbar__row">
        <ul className="badge-list" aria-label="Task counts">
          <li>
            <CountBadge count={queue.pending_count} label="pending" tone="accent" />
          </li>
          <li>
            <CountBadge count={queue.completed_count} label="completed" tone="success" />
          </li>
          <li>
            <CountBadge
              count={queue.failed_count}
              label="failed"
              tone={queue.failed_count > 0 ? 'danger' : 'neutral'}
            />
          </li>
        </ul>
        <div className="queue-toolbar__controls">
          <button
            type="button"
            className={`button ${queue.is_paused ? 'button--primary' : ''}`}
            onClick={togglePause}
          >
            <span aria-hidden="true" className={queue.is_paused ? 'icon-play' : 'icon-pause'} />
            {queue.is_paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            className="button"
            disabled={queue.pending_count === 0}
            onClick={() => void run(() => api.cancelPending(), 'Could not cancel the pending tasks')}
          >
            Cancel All Pending
          </button>
          <button
            type="button"
            className="button"
            disabled={queue.completed_count === 0}
            onClick={() => void run(() => api.clearCompleted(), 'Could not clear the completed tasks')}
          >
            Clear Completed
          </button>
        </div>
      </div>
      <output className={`queue-state ${explanation ? 'queue-state--paused' : ''}`} aria-live="polite">
        {explanation ?? runningExplanation(queue)}
      </output>
      {queue.total !== null ? (
        <p className="queue-total muted" data-testid="queue-total">
          All queued work: {queue.total} (at the speed measured on this machine).
        </p>
      ) : null}
    </div>
  );
}

function runningExplanation(queue: ToolbarState): string {
  if (queue.recording_state !== 'Idle') return 'Waiting for your recording to finish.';
  if (queue.runningCount > 1)
    return `Running: ${queue.runningCount} tasks at once, one per worker node; the rest in the order below.`;
  if (queue.running) return 'Running: tasks are transcribed one at a time, in the order below.';
  return 'Running: new audio in your notes folder is transcribed as it arrives.';
}
