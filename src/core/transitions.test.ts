import { describe, expect, it } from 'vitest';
import { crashedMessage, retryCount } from './transitions.js';

describe('retryCount', () => {
  it('counts restarts after the first attempt', () => {
    expect([0, 1, 2, 3].map((attempts) => retryCount({ attempts }))).toEqual([0, 0, 1, 2]);
  });
});

describe('crashedMessage', () => {
  it('says how many times, in the singular for one', () => {
    expect(crashedMessage(1)).toContain('(1 time)');
    expect(crashedMessage(3)).toContain('(3 times)');
  });
});
