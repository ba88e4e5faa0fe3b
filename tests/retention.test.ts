import { describe, expect, it } from 'vitest';
import { silentLog } from '../src/services/log.js';
import { Retention } from '../src/services/retention.js';
import type { HarkServices } from '../src/services/services.js';
import type { SettingsListener, SettingsService } from '../src/services/settings.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 1, 12);

/** The retention service against a recording queue, a fixed clock and settings it can change. */
function harness(days: number) {
  const cutoffs: number[] = [];
  let keep = days;
  const listeners: SettingsListener[] = [];
  const services = {
    queue: {
      pruneCompleted: async (before: number) => {
        cutoffs.push(before);
        return 3;
      },
    },
    clock: { now: () => NOW },
    log: silentLog,
  } as unknown as HarkServices;
  const settings = {
    values: () => ({ keep_completed_days: keep }),
    onChange: (listener: SettingsListener) => {
      listeners.push(listener);
      return () => {};
    },
  } as unknown as SettingsService;
  const retention = new Retention(services, settings);
  const change = (value: number) => {
    keep = value;
    for (const listener of listeners) listener(settings.values(), ['keep_completed_days']);
  };
  return { retention, cutoffs, change };
}

describe('Retention', () => {
  it('prunes completed tasks older than the setting, and again when it changes', async () => {
    const { retention, cutoffs, change } = harness(30);
    expect(await retention.prune()).toBe(3);
    expect(cutoffs).toEqual([NOW - 30 * DAY]);
    retention.start();
    change(7);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cutoffs).toContain(NOW - 7 * DAY);
    retention.stop();
  });

  it('keeps everything with 0 days', async () => {
    const { retention, cutoffs } = harness(0);
    expect(await retention.prune()).toBe(0);
    expect(cutoffs).toEqual([]);
  });
});
