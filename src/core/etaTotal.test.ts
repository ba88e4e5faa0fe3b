import { describe, expect, it } from 'vitest';
import { totalEtaSeconds } from './etaTotal.js';

describe('the queue total time left', () => {
  it('adds the running estimate to the pending audio at the measured speed', () => {
    expect(totalEtaSeconds({ runningEtas: [30], pendingDurations: [120, 240], realTimeFactor: 0.25 })).toBe(
      120,
    );
  });

  it('counts a pending task of unknown length as the mean of the known ones', () => {
    expect(
      totalEtaSeconds({ runningEtas: [], pendingDurations: [100, null, 300], realTimeFactor: 0.5 }),
    ).toBe(300);
  });

  it('is only the running estimate when nothing waits', () => {
    expect(totalEtaSeconds({ runningEtas: [12.4], pendingDurations: [], realTimeFactor: null })).toBe(12);
  });

  it('cannot be said without a measured speed, known lengths, or a running estimate', () => {
    expect(totalEtaSeconds({ runningEtas: [], pendingDurations: [60], realTimeFactor: null })).toBeNull();
    expect(totalEtaSeconds({ runningEtas: [], pendingDurations: [null], realTimeFactor: 0.3 })).toBeNull();
    expect(totalEtaSeconds({ runningEtas: [null], pendingDurations: [], realTimeFactor: 0.3 })).toBeNull();
  });
});
