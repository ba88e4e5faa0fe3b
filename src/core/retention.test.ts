import { describe, expect, it } from 'vitest';
import { pruneBefore } from './retention.js';

describe('retention', () => {
  const now = Date.UTC(2026, 11, 1, 12);

  it('keeps completed tasks for the given number of days', () => {
    expect(pruneBefore(now, 30)).toBe(Date.UTC(2026, 10, 1, 12));
    expect(pruneBefore(now, 1)).toBe(Date.UTC(2026, 10, 30, 12));
  });

  it('0 days keeps everything', () => {
    expect(pruneBefore(now, 0)).toBeNull();
    expect(pruneBefore(now, Number.NaN)).toBeNull();
  });
});
