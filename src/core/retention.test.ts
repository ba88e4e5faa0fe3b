import { describe, expect, it } from 'vitest';
import { retentionCutoff } from './retention.js';

describe('retentionCutoff', () => {
  it('is N days before now, and null for 0 (kept for ever)', () => {
    const now = Date.UTC(2026, 11, 1);
    expect(retentionCutoff(now, 30)).toBe(Date.UTC(2026, 10, 1));
    expect(retentionCutoff(now, 0)).toBeNull();
  });
});
