import { retentionCutoff } from '../core/retention.js';
import type { HarkServices } from './services.js';
import type { SettingsService } from './settings.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Retention: completed tasks older than the keep_completed_days setting are
 * pruned at start, every hour, and when the setting changes. Transcripts are
 * never touched (only the queue's rows go).
 */
export class Retention {
  private timer: NodeJS.Timeout | null = null;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly services: HarkServices,
    private readonly settings: SettingsService,
  ) {}

  start(): void {
    void this.prune();
    this.timer = setInterval(() => void this.prune(), HOUR_MS);
    this.timer.unref();
    this.stopListening = this.settings.onChange((_values, changed) => {
      if (changed.includes('keep_completed_days')) void this.prune();
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.stopListening?.();
  }

  /** Prunes now; returns how many tasks went. */
  async prune(): Promise<number> {
    const { queue, clock, log } = this.services;
    const before = retentionCutoff(clock.now(), this.settings.values().keep_completed_days);
    if (before === null) return 0;
    try {
      const count = await queue.pruneCompleted(before);
      if (count > 0) log.info(`retention: removed ${count} completed task(s) from the queue's lists`);
      return count;
    } catch (error) {
      log.warn(`retention: could not prune completed tasks (${(error as Error).message})`);
      return 0;
    }
  }
}
