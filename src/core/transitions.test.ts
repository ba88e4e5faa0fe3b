import { describe, expect, it } from 'vitest';
import { EngineFailed, UnreadableAudio } from './errors.js';
import { decideFailure, retryCount } from './transitions.js';

const now = 1_000_000;

describe('decideFailure', () => {
  it('sends a transient failure back to pending after the backoff while retries remain', () => {
    const decision = decideFailure({ attempts: 1, maxRetries: 2 }, new EngineFailed('boom'), now);
    expect(decision).toEqual({
      status: 'pending',
      availableAt: now + 10_000,
      errorKind: 'engine_failed',
      errorMessage: 'boom',
    });
    expect(decideFailure({ attempts: 2, maxRetries: 2 }, new EngineFailed('boom'), now)).toMatchObject({
      status: 'pending',
      availableAt: now + 20_000,
    });
  });

  it('fails for good once the retries are used, saying how many attempts were made', () => {
    const decision = decideFailure({ attempts: 3, maxRetries: 2 }, new EngineFailed('boom'), now);
    expect(decision).toEqual({
      status: 'failed',
      errorKind: 'engine_failed',
      errorMessage: 'boom (gave up after 3 attempts)',
    });
  });

  it('fails a permanent error at once, on the first attempt', () => {
    const decision = decideFailure({ attempts: 1, maxRetries: 5 }, new UnreadableAudio('not audio'), now);
    expect(decision).toEqual({ status: 'failed', errorKind: 'unreadable_audio', errorMessage: 'not audio' });
  });

  it('never retries when max_retries is 0', () => {
    expect(decideFailure({ attempts: 1, maxRetries: 0 }, new EngineFailed('x'), now).status).toBe('failed');
  });
});

describe('retryCount', () => {
  it('counts restarts after the first attempt', () => {
    expect([0, 1, 2, 3].map((attempts) => retryCount({ attempts }))).toEqual([0, 0, 1, 2]);
  });
});
