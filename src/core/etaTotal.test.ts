import { describe, expect, it } from 'vitest';
import {
  measuredRealTimeFactor,
  pendingAudioTotals,
  remainingAudioSeconds,
  runningEtaSeconds,
  totalEtaSeconds,
} from './etaTotal.js';

describe('the queue total time left', () => {
  it('adds the running estimate to the pending audio at the measured speed', () => {
    expect(
      totalEtaSeconds({ runningEtas: [30], pending: pendingAudioTotals([120, 240]), realTimeFactor: 0.25 }),
    ).toBe(120);
  });

  it('counts a pending task of unknown length as the mean of the known ones', () => {
    expect(
      totalEtaSeconds({
        runningEtas: [],
        pending: pendingAudioTotals([100, null, 300]),
        realTimeFactor: 0.5,
      }),
    ).toBe(300);
  });

  it('is only the running estimate when nothing waits', () => {
    expect(
      totalEtaSeconds({ runningEtas: [12.4], pending: pendingAudioTotals([]), realTimeFactor: null }),
    ).toBe(12);
  });

  it('cannot be said without a measured speed, known lengths, or a running estimate', () => {
    expect(
      totalEtaSeconds({ runningEtas: [], pending: pendingAudioTotals([60]), realTimeFactor: null }),
    ).toBeNull();
    expect(
      totalEtaSeconds({ runningEtas: [], pending: pendingAudioTotals([null]), realTimeFactor: 0.3 }),
    ).toBeNull();
    expect(
      totalEtaSeconds({ runningEtas: [null], pending: pendingAudioTotals([]), realTimeFactor: 0.3 }),
    ).toBeNull();
  });
});

describe('the measured speed of an engine and model', () => {
  it('is the attempts time over their audio, long files weighing more', () => {
    expect(
      measuredRealTimeFactor([
        { startedAt: 0, endedAt: 10_000, audioSeconds: 100 },
        { startedAt: 0, endedAt: 2_000, audioSeconds: 10 },
      ]),
    ).toBeCloseTo(12 / 110);
  });

  it('is unknown with no audio heard', () => {
    expect(measuredRealTimeFactor([])).toBeNull();
    expect(measuredRealTimeFactor([{ startedAt: 0, endedAt: 5_000, audioSeconds: 0 }])).toBeNull();
  });
});

describe('a running task in the total', () => {
  it('keeps its own estimate, and without one counts the audio left at the measured speed', () => {
    expect(runningEtaSeconds(40, 100, 0.5)).toBe(40);
    expect(runningEtaSeconds(null, 100, 0.5)).toBe(50);
    expect(runningEtaSeconds(null, null, 0.5)).toBeNull();
    expect(runningEtaSeconds(null, 100, null)).toBeNull();
  });

  it('has the audio past its checkpoint still to hear', () => {
    expect(remainingAudioSeconds({ duration: 120, checkpointSeconds: 30 })).toBe(90);
    expect(remainingAudioSeconds({ duration: null, checkpointSeconds: 0 })).toBeNull();
  });
});
