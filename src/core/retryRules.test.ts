import { describe, expect, it } from 'vitest';
import { EngineFailed, UnreadableAudio } from './errors.js';
import {
  type AbandonedAttempt,
  ATTEMPTS_COUNTED_AT_CLAIM,
  afterClaim,
  afterCrash,
  afterInterruption,
  afterPreemption,
  afterUserRetry,
  MAX_FORGIVEN_CRASHES,
  nextStateAfterFailure,
} from './retryRules.js';
import { crashedMessage } from './transitions.js';

const now = 1_000_000;

describe('afterClaim', () => {
  it('counts the attempt when the task is claimed', () => {
    expect(ATTEMPTS_COUNTED_AT_CLAIM).toBe(1);
    expect(afterClaim({ attempts: 0 })).toEqual({ attempts: 1 });
    expect(afterClaim({ attempts: 2 })).toEqual({ attempts: 3 });
  });
});

describe('nextStateAfterFailure', () => {
  it('sends a transient failure back to pending after the backoff while retries remain', () => {
    const decision = nextStateAfterFailure({ attempts: 1, maxRetries: 2 }, new EngineFailed('boom'), now);
    expect(decision).toEqual({
      status: 'pending',
      availableAt: now + 10_000,
      errorKind: 'engine_failed',
      errorMessage: 'boom',
    });
    expect(
      nextStateAfterFailure({ attempts: 2, maxRetries: 2 }, new EngineFailed('boom'), now),
    ).toMatchObject({ status: 'pending', availableAt: now + 20_000 });
  });

  it('fails for good once the retries are used, saying how many attempts were made', () => {
    const decision = nextStateAfterFailure({ attempts: 3, maxRetries: 2 }, new EngineFailed('boom'), now);
    expect(decision).toEqual({
      status: 'failed',
      errorKind: 'engine_failed',
      errorMessage: 'boom (gave up after 3 attempts)',
    });
  });

  it('fails a permanent error at once, on the first attempt', () => {
    const decision = nextStateAfterFailure(
      { attempts: 1, maxRetries: 5 },
      new UnreadableAudio('not audio'),
      now,
    );
    expect(decision).toEqual({ status: 'failed', errorKind: 'unreadable_audio', errorMessage: 'not audio' });
  });

  it('never retries when max_retries is 0', () => {
    expect(nextStateAfterFailure({ attempts: 1, maxRetries: 0 }, new EngineFailed('x'), now).status).toBe(
      'failed',
    );
  });
});

describe('afterInterruption and afterPreemption', () => {
  it('gives the attempt back, never below zero, and counts only a pre-emption', () => {
    expect(afterInterruption({ attempts: 2, preemptedCount: 1 }, { preempted: false })).toEqual({
      attempts: 1,
      preemptedCount: 1,
    });
    expect(afterInterruption({ attempts: 0, preemptedCount: 0 }, { preempted: false })).toEqual({
      attempts: 0,
      preemptedCount: 0,
    });
    expect(afterPreemption({ attempts: 1, preemptedCount: 3 })).toEqual({ attempts: 0, preemptedCount: 4 });
  });
});

describe('afterCrash', () => {
  const crash = (extra: Partial<AbandonedAttempt>): AbandonedAttempt => ({
    attempts: 1,
    maxRetries: 2,
    forgivenCrashes: 0,
    committedSinceClaim: false,
    inEngineChild: false,
    ...extra,
  });

  it('blames a plain death on the file: the attempt stays spent, and the task goes back', () => {
    expect(afterCrash(crash({ attempts: 2 }))).toEqual({
      status: 'pending',
      attempts: 2,
      forgivenCrashes: 0,
    });
  });

  it('fails the task as crashed once the deaths have used its retries', () => {
    expect(afterCrash(crash({ attempts: 3 }))).toEqual({
      status: 'failed',
      attempts: 3,
      forgivenCrashes: 0,
      errorKind: 'crashed',
      errorMessage: crashedMessage(3),
    });
    expect(afterCrash(crash({ attempts: 1, maxRetries: 0 })).status).toBe('failed');
  });

  it('refunds the attempt of a death after new chunks were committed, without counting it as forgiven', () => {
    expect(afterCrash(crash({ attempts: 3, committedSinceClaim: true, inEngineChild: true }))).toEqual({
      status: 'pending',
      attempts: 2,
      forgivenCrashes: 0,
    });
  });

  it('forgives a death while the engine child was hearing, up to MAX_FORGIVEN_CRASHES times', () => {
    expect(afterCrash(crash({ attempts: 1, inEngineChild: true }))).toEqual({
      status: 'pending',
      attempts: 0,
      forgivenCrashes: 1,
    });
    const last = crash({ attempts: 3, inEngineChild: true, forgivenCrashes: MAX_FORGIVEN_CRASHES });
    expect(afterCrash(last)).toMatchObject({
      status: 'failed',
      attempts: 3,
      forgivenCrashes: MAX_FORGIVEN_CRASHES,
    });
  });
});

describe('afterUserRetry', () => {
  it('starts the task over with a fresh set of retries', () => {
    expect(afterUserRetry({ attempts: 3 })).toEqual({ attempts: 0 });
  });
});
