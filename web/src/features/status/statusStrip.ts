/**
 * What the Transcriptions tab's strip says of the queue snapshot (QueueStatusJson); spelled
 * out here so that this file imports nothing and the node tests can load it.
 */
export interface StripQueue {
  pending_count: number;
  processing_count: number;
  is_paused: boolean;
  pause_reason: string | null;
  active_tasks?: readonly { eta_seconds: number | null }[];
  /** The server's estimate of the time left for all of it, when it has one. */
  eta_total_seconds?: number | null;
}

export interface StripState {
  /** "12 notes being transcribed" */
  work: string;
  /** Seconds left for all of it (while paused: once resumed); null when unknown. */
  timeLeftSeconds: number | null;
  /** "Paused by you", or the system's reason; null while running. */
  pause: string | null;
  /** Whether Resume is offered (the user's own pause or rule, not a fault Hark must see fixed). */
  canResume: boolean;
}

/** What the Transcriptions tab's status strip says; null when no work is queued. */
export function stripState(queue: StripQueue): StripState | null {
  const count = queue.pending_count + queue.processing_count;
  if (count === 0) return null;
  const work = `${count.toLocaleString('en')} ${count === 1 ? 'note' : 'notes'} being transcribed`;
  if (queue.is_paused) {
    const byUser = queue.pause_reason === null || queue.pause_reason === 'user';
    const byRule =
      queue.pause_reason?.startsWith('outside the schedule') === true ||
      queue.pause_reason === 'on battery power';
    return {
      work,
      // What it would take once resumed: the server's total, which counts no waiting.
      timeLeftSeconds: typeof queue.eta_total_seconds === 'number' ? queue.eta_total_seconds : null,
      pause: byUser ? 'Paused by you' : `Paused: ${queue.pause_reason}`,
      canResume: byUser || byRule,
    };
  }
  return { work, timeLeftSeconds: timeLeftOf(queue), pause: null, canResume: false };
}

function timeLeftOf(queue: StripQueue): number | null {
  if (typeof queue.eta_total_seconds === 'number') return queue.eta_total_seconds;
  // Without the server's total, the running tasks' own estimates say it when nothing else waits.
  if (queue.pending_count > 0) return null;
  const etas = (queue.active_tasks ?? []).map((task) => task.eta_seconds);
  if (etas.length === 0 || etas.some((eta) => eta === null)) return null;
  return Math.max(...(etas as number[]));
}
