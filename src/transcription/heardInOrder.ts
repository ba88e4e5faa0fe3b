import { availableParallelism } from 'node:os';

/**
 * The windows being heard in this process now, by every engine and task: a file hears a window
 * ahead only while this count is below the cores (core/windowsAtOnce.ts mayHearAnother).
 */
export class HearingNow {
  private count = 0;

  constructor(readonly cores: number) {}

  get windows(): number {
    return this.count;
  }

  /** Counts one window as being heard until the returned function is called (later calls do nothing). */
  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count--;
    };
  }
}

/** The cores are the process's, so every engine counts its windows in one place. */
export const hearingInThisProcess = new HearingNow(availableParallelism());

/** What `heardInOrder` may do next, asked before it starts each window after the first. */
export interface LookAhead {
  /** Whether another window may start now, with `running` of this stream's windows still being heard. */
  mayStart(running: number): boolean;
  /** How many windows may be started and not yet given back (heard ones wait for those before them). */
  mostPending: number;
  /** Stops the windows still being heard, when the stream ends early (a failure, an abort, the consumer leaving). */
  stop(): void;
}

type Entry<R> =
  | { state: 'running'; settled: Promise<void> }
  | { state: 'heard'; result: R }
  | { state: 'failed'; error: unknown };

/**
 * Hears the windows of `windows` with `hear`, several at once when `ahead` allows, and gives the
 * results back in the windows' order: a window heard early waits for those before it, and a
 * failure is thrown in its turn, after every window before it has been given back (so the
 * consumer commits all it can, as it would hearing them one by one). A window is pulled from the
 * stream only when it may start; with one at a time, the next starts only after the consumer has
 * taken the one before (its prompt can depend on it). Ending early, it stops the windows still
 * being heard and waits for them, so no call outlives it.
 */
export async function* heardInOrder<W, R>(
  windows: AsyncIterable<W>,
  hear: (window: W) => Promise<R>,
  ahead: LookAhead,
): AsyncGenerator<R> {
  const source = windows[Symbol.asyncIterator]();
  const pending: Entry<R>[] = [];
  let exhausted = false;
  try {
    for (;;) {
      for (let head = pending[0]; head && head.state !== 'running'; head = pending[0]) {
        pending.shift();
        if (head.state === 'failed') throw head.error;
        yield head.result;
      }
      // After a failure nothing more is started: the stream ends once the windows before it are given back.
      while (
        !exhausted &&
        !failed(pending) &&
        pending.length < ahead.mostPending &&
        ahead.mayStart(running(pending))
      ) {
        exhausted = await pull(source, hear, pending);
      }
      if (pending.length === 0) return;
      if (pending[0]?.state !== 'running') continue;
      await Promise.race(pending.flatMap((entry) => (entry.state === 'running' ? [entry.settled] : [])));
    }
  } finally {
    if (pending.some((entry) => entry.state === 'running')) ahead.stop();
    await Promise.allSettled(pending.flatMap((entry) => (entry.state === 'running' ? [entry.settled] : [])));
    await source.return?.();
  }
}

/**
 * Takes the next window and starts hearing it; true when the stream has ended. A stream that
 * fails (the decoder gave up mid-file) ends with its error queued after the windows before it.
 */
async function pull<W, R>(
  source: AsyncIterator<W>,
  hear: (window: W) => Promise<R>,
  pending: Entry<R>[],
): Promise<boolean> {
  let next: IteratorResult<W>;
  try {
    next = await source.next();
  } catch (error) {
    pending.push({ state: 'failed', error });
    return true;
  }
  if (next.done) return true;
  const window = next.value;
  const entry: Entry<R> = { state: 'running', settled: Promise.resolve() };
  const replace = (now: Entry<R>) => {
    const at = pending.indexOf(entry);
    if (at >= 0) pending[at] = now;
  };
  // A hear() that throws at once fails its window like one that rejects.
  entry.settled = new Promise<R>((resolve) => resolve(hear(window))).then(
    (result) => replace({ state: 'heard', result }),
    (error: unknown) => replace({ state: 'failed', error }),
  );
  pending.push(entry);
  return false;
}

function failed(pending: readonly Entry<unknown>[]): boolean {
  return pending.some((entry) => entry.state === 'failed');
}

function running(pending: readonly Entry<unknown>[]): number {
  return pending.filter((entry) => entry.state === 'running').length;
}
