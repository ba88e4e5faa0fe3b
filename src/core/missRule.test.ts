import { describe, expect, it } from 'vitest';
import { afterNodeMiss, MAX_NODE_MISSES, MISS_DELAY_MS } from './missRule.js';

describe('a file a node cannot find (several nodes)', () => {
  const T = 1_000_000;

  it('goes back with its attempt refunded, a little later each miss, so another node can take it', () => {
    expect(afterNodeMiss({ attempts: 1, missCount: 0, audioPath: 'a.wav' }, T)).toEqual({
      status: 'pending',
      attempts: 0,
      missCount: 1,
      availableAt: T + MISS_DELAY_MS,
    });
    expect(afterNodeMiss({ attempts: 2, missCount: 1, audioPath: 'a.wav' }, T)).toMatchObject({
      status: 'pending',
      attempts: 1,
      missCount: 2,
      availableAt: T + 2 * MISS_DELAY_MS,
    });
  });

  it(`fails at the ${MAX_NODE_MISSES}rd miss, saying no node could find it, and starts the count over`, () => {
    const decision = afterNodeMiss({ attempts: 1, missCount: MAX_NODE_MISSES - 1, audioPath: 'x/b.m4a' }, T);
    expect(decision).toMatchObject({
      status: 'failed',
      attempts: 0,
      missCount: 0,
      errorKind: 'file_missing',
    });
    expect(decision.status === 'failed' && decision.errorMessage).toMatch(
      /^No worker node could find x\/b\.m4a on its notes folder \(3 tries\)/,
    );
  });

  it('never takes attempts below zero', () => {
    expect(afterNodeMiss({ attempts: 0, missCount: 0, audioPath: 'a.wav' }, T)).toMatchObject({
      attempts: 0,
    });
  });
});
