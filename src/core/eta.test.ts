import { describe, expect, it } from 'vitest';
import { etaFromRow, runEtaSeconds } from './eta.js';

describe('the time left of another node’s task', () => {
  it('is the time since its claim over its progress, for the rest', () => {
    expect(etaFromRow({ status: 'processing', progress: 0.25, startedAt: 0 }, 10_000)).toBe(30);
  });
  it('is unknown before it has moved, or when it is not running', () => {
    expect(etaFromRow({ status: 'processing', progress: 0, startedAt: 0 }, 10_000)).toBeNull();
    expect(etaFromRow({ status: 'pending', progress: 0.5, startedAt: 0 }, 10_000)).toBeNull();
  });
});

describe('the time left of this node’s task', () => {
  const run = { startedAt: 0, startProgress: 0, progress: 0.25, progressAt: 10_000 };
  it('is the estimate at its last step, counted down with the clock', () => {
    expect(runEtaSeconds({ ...run, now: 10_000 })).toBe(30);
    expect(runEtaSeconds({ ...run, now: 16_000 })).toBe(24);
    expect(runEtaSeconds({ ...run, now: 90_000 })).toBe(0);
  });
  it('counts only this run’s progress (a resumed task), and is unknown before it moved', () => {
    expect(runEtaSeconds({ ...run, startProgress: 0.2, progress: 0.3, now: 10_000 })).toBe(70);
    expect(runEtaSeconds({ ...run, progress: 0, now: 10_000 })).toBeNull();
  });
});
