import { describe, expect, it } from 'vitest';
import {
  claimScope,
  isShortTask,
  MAX_PARALLEL,
  parallelSlots,
  parseParallel,
  SHORT_TASK_SECONDS,
} from './parallel.js';

describe('isShortTask', () => {
  it('is short up to and including the limit, and only when the length is known', () => {
    expect(isShortTask(0)).toBe(true);
    expect(isShortTask(6.5)).toBe(true);
    expect(isShortTask(SHORT_TASK_SECONDS)).toBe(true);
    expect(isShortTask(SHORT_TASK_SECONDS + 0.01)).toBe(false);
    expect(isShortTask(null)).toBe(false);
    expect(isShortTask(Number.NaN)).toBe(false);
    expect(isShortTask(-1)).toBe(false);
  });
});

describe('parallelSlots', () => {
  it('is what was asked for, capped by the cores and by the engine', () => {
    expect(parallelSlots({ requested: 2, cores: 8, engineConcurrency: Number.POSITIVE_INFINITY })).toBe(2);
    expect(parallelSlots({ requested: 4, cores: 2, engineConcurrency: Number.POSITIVE_INFINITY })).toBe(2);
    expect(parallelSlots({ requested: 4, cores: 8, engineConcurrency: 1 })).toBe(1);
  });

  it('is never below one', () => {
    expect(parallelSlots({ requested: 0, cores: 0, engineConcurrency: 0 })).toBe(1);
    expect(parallelSlots({ requested: 1, cores: 1, engineConcurrency: 1 })).toBe(1);
  });
});

describe('claimScope', () => {
  it('takes any task when nothing runs, whatever the slots', () => {
    expect(claimScope([], 1)).toBe('any');
    expect(claimScope([], 3)).toBe('any');
  });

  it('takes only a short task beside short ones, up to the slots', () => {
    expect(claimScope([10], 2)).toBe('short');
    expect(claimScope([10, 59], 3)).toBe('short');
    expect(claimScope([10, 59], 2)).toBe('none');
  });

  it('takes nothing beside a long task or one of unknown length', () => {
    expect(claimScope([600], 4)).toBe('none');
    expect(claimScope([10, 600], 4)).toBe('none');
    expect(claimScope([null], 4)).toBe('none');
  });

  it('with one slot (the default) is the single worker: one task at a time', () => {
    expect(claimScope([5], 1)).toBe('none');
  });
});

describe('parseParallel', () => {
  it('reads whole numbers from 1 to the maximum, as text or number', () => {
    expect(parseParallel('2')).toBe(2);
    expect(parseParallel(' 3 ')).toBe(3);
    expect(parseParallel(1)).toBe(1);
    expect(parseParallel(MAX_PARALLEL)).toBe(MAX_PARALLEL);
  });

  it('refuses anything else', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '', MAX_PARALLEL + 1, 2.5, null, undefined, true]) {
      expect(parseParallel(bad)).toBeNull();
    }
  });
});
