import { describe, expect, it } from 'vitest';
import { mayHearAnother, windowsAtOnce } from './windowsAtOnce.js';

const INFINITE = Number.POSITIVE_INFINITY;

describe('windowsAtOnce', () => {
  it('is the cores for a recogniser that takes any number of calls', () => {
    expect(
      windowsAtOnce({ requested: undefined, cores: 2, recognizerConcurrency: INFINITE, session: false }),
    ).toBe(2);
    expect(
      windowsAtOnce({ requested: undefined, cores: 8, recognizerConcurrency: INFINITE, session: false }),
    ).toBe(8);
  });

  it('is capped by the request, the recogniser and the cores', () => {
    expect(windowsAtOnce({ requested: 1, cores: 8, recognizerConcurrency: INFINITE, session: false })).toBe(
      1,
    );
    expect(windowsAtOnce({ requested: 4, cores: 2, recognizerConcurrency: INFINITE, session: false })).toBe(
      2,
    );
    expect(windowsAtOnce({ requested: undefined, cores: 8, recognizerConcurrency: 1, session: false })).toBe(
      1,
    );
    expect(windowsAtOnce({ requested: 3, cores: 8, recognizerConcurrency: 2, session: false })).toBe(2);
  });

  it('is one for a session, which hears its windows in turn in one process', () => {
    expect(windowsAtOnce({ requested: 4, cores: 8, recognizerConcurrency: INFINITE, session: true })).toBe(1);
  });

  it('is never below one', () => {
    expect(windowsAtOnce({ requested: 0, cores: 0, recognizerConcurrency: 0, session: false })).toBe(1);
    expect(windowsAtOnce({ requested: 2.7, cores: 8, recognizerConcurrency: INFINITE, session: false })).toBe(
      2,
    );
  });
});

describe('mayHearAnother', () => {
  it('always starts a file’s first window, even when every core is taken', () => {
    expect(mayHearAnother({ inFlight: 0, limit: 1, hearingInProcess: 5, cores: 2 })).toBe(true);
  });

  it('starts more only below the file’s limit', () => {
    expect(mayHearAnother({ inFlight: 1, limit: 2, hearingInProcess: 1, cores: 2 })).toBe(true);
    expect(mayHearAnother({ inFlight: 2, limit: 2, hearingInProcess: 2, cores: 4 })).toBe(false);
    expect(mayHearAnother({ inFlight: 1, limit: 1, hearingInProcess: 1, cores: 4 })).toBe(false);
  });

  it('starts more only while the process hears fewer windows than it has cores', () => {
    // Another task's window takes the second core: this file waits for its own to finish.
    expect(mayHearAnother({ inFlight: 1, limit: 2, hearingInProcess: 2, cores: 2 })).toBe(false);
    expect(mayHearAnother({ inFlight: 1, limit: 4, hearingInProcess: 3, cores: 4 })).toBe(true);
  });
});
