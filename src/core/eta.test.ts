import { describe, expect, it } from 'vitest';
import { etaFromRow } from './eta.js';

describe('the time left of another node’s task', () => {
  it('is the time since its claim over its progress, for the rest', () => {
    expect(etaFromRow({ status: 'processing', progress: 0.25, startedAt: 0 }, 10_000)).toBe(30);
  });
  it('is unknown before it has moved, or when it is not running', () => {
    expect(etaFromRow({ status: 'processing', progress: 0, startedAt: 0 }, 10_000)).toBeNull();
    expect(etaFromRow({ status: 'pending', progress: 0.5, startedAt: 0 }, 10_000)).toBeNull();
  });
});
