import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles from 10 s per attempt and stops at one hour', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
    expect(backoffDelayMs(9)).toBe(2_560_000);
    expect(backoffDelayMs(10)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelayMs(1_000)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelayMs(0)).toBe(10_000);
    // The same formula with another base and cap (the worker's waits for storage trouble).
    const storage = { baseMs: 1_000, capMs: 10_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, storage))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
  });
});
