import { api } from '../../api/client';
import type { QueueStatusJson } from '../../api/types';
import { formatTimeLeft } from '../../lib/format';
import { useLiveState } from '../live/LiveStateProvider';
import { useLiveQueue } from '../live/liveQueue';
import { useAction } from '../notices/NoticesProvider';
import { type StripQueue, stripState } from './statusStrip';

const selectStrip = (queue: QueueStatusJson) => stripState(queue as StripQueue);

/** "12 notes being transcribed · about 3 min left · Paused by you — Resume", linking to the queue. */
export function StatusStrip({ onOpenTasks }: { onOpenTasks: () => void }) {
  const strip = useLiveQueue(selectStrip);
  const { applyPause } = useLiveState();
  const run = useAction();
  if (!strip) return null;
  const timeLeft = strip.timeLeftSeconds === null ? null : formatTimeLeft(strip.timeLeftSeconds);
  const parts = [strip.work, timeLeft, strip.pause].filter((part) => part !== null);
  return (
    <output className={`status-strip ${strip.pause ? 'status-strip--paused' : ''}`} aria-live="polite">
      <button type="button" className="status-strip__text" onClick={onOpenTasks}>
        {parts.join(' · ')}
      </button>
      {strip.canResume ? (
        <>
          <span aria-hidden="true"> — </span>
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => void run(async () => applyPause(await api.resume()), 'Could not resume')}
          >
            Resume
          </button>
        </>
      ) : null}
    </output>
  );
}
