import type { Clock } from '../core/clock.js';
import { toHarkError } from '../core/errors.js';
import { heartbeatIntervalMs, reclaimIntervalMs } from '../core/leases.js';
import { type Log, silentLog } from '../core/log.js';
import type { QueueManager } from './queueManager.js';

/**
 * The running task's heartbeat: renews its lease every quarter lease until stopped. A renewal
 * the database refuses (it is away) is skipped: the next may get through before the lease
 * lapses. One the store answers "not yours" aborts the run (QueueManager.renewLease).
 * The timer is the clock's, unref'd: it never keeps the process alive.
 */
export function startHeartbeat(queue: QueueManager, clock: Clock, taskId: number, log: Log = silentLog) {
  let cancel = () => {};
  let stopped = false;
  const beat = () => {
    cancel = clock.setTimer(heartbeatIntervalMs(queue.leaseMs), () => {
      void queue
        .renewLease(taskId)
        .then((held) => {
          if (!held) log.warn(`task ${taskId} is no longer this worker's (its lease lapsed): stopping it`);
          else if (!stopped) beat();
        })
        .catch(() => {
          if (!stopped) beat();
        });
    });
  };
  beat();
  return () => {
    stopped = true;
    cancel();
  };
}

/**
 * Any node, on PostgreSQL: every half lease, and whenever the worker finds nothing to claim,
 * tasks whose lease lapsed (their node died, or lost the database) go back to the queue by the
 * crash rule. Several nodes may run it at once: SKIP LOCKED keeps them apart.
 */
export class LeaseReclaimer {
  private cancel: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly queue: QueueManager,
    private readonly clock: Clock,
    private readonly log: Log = silentLog,
  ) {}

  start(): void {
    if (this.cancel) return;
    const tick = () => {
      this.cancel = this.clock.setTimer(reclaimIntervalMs(this.queue.leaseMs), () => {
        void this.reclaimNow().finally(() => {
          if (this.cancel) tick();
        });
      });
    };
    tick();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  /** One pass now (at most one at a time); errors (the database away) wait for the next. */
  reclaimNow(): Promise<void> {
    this.running ??= this.queue
      .reclaimExpired()
      .then((report) => {
        if (report.requeued + report.failed > 0)
          this.log.warn(
            `reclaimed ${report.requeued + report.failed} task(s) whose node stopped renewing its lease: ` +
              `${report.requeued} back in the queue, ${report.failed} failed`,
          );
      })
      .catch((error: unknown) => {
        this.log.debug(`could not look for lapsed leases: ${toHarkError(error).message}`);
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
