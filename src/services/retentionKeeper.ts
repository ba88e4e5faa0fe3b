import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { PRUNE_EVERY_MS, pruneBefore } from '../core/retention.js';
import type { QueueManager } from '../queue/queueManager.js';

/**
 * Prunes completed tasks older than `keepDays` from the queue's lists, at
 * start and then daily (`--keep-completed-days`, 0 keeps them). Transcripts
 * are never touched: only the queue's record that the work was done.
 */
export class RetentionKeeper {
  private cancelTimer: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly queue: QueueManager,
    private readonly clock: Clock,
    private keepDays: number,
    private readonly log: Log,
  ) {}

  async start(): Promise<void> {
    await this.prune();
  }

  async setKeepDays(days: number): Promise<void> {
    this.keepDays = days;
    await this.prune();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  /** Prunes now; returns how many tasks went. */
  async prune(): Promise<number> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopped) return 0;
    let pruned = 0;
    const before = pruneBefore(this.clock.now(), this.keepDays);
    if (before !== null) {
      try {
        pruned = await this.queue.pruneCompleted(before);
        if (pruned > 0) {
          this.log.info(
            `pruned ${pruned} completed task(s) older than ${this.keepDays} days (transcripts kept)`,
          );
        }
      } catch (error) {
        this.log.warn(`could not prune completed tasks: ${(error as Error).message}`);
      }
    }
    this.cancelTimer = this.clock.setTimer(PRUNE_EVERY_MS, () => void this.prune());
    return pruned;
  }
}
