import { describe, expect, it } from 'vitest';
import { ERROR_KINDS } from './errors.js';
import { FAILURE_ADVICE, failureAdvice } from './failureAdvice.js';

describe('failure advice', () => {
  it('has a sentence and a next step for every error kind, and nothing else', () => {
    expect(Object.keys(FAILURE_ADVICE).sort()).toEqual([...ERROR_KINDS].sort());
    for (const kind of ERROR_KINDS) {
      const advice = failureAdvice(kind);
      expect(advice.sentence, kind).toMatch(/^[A-Z`'"].+\.$/);
      expect(advice.nextStep, kind).toMatch(/^[A-Z`].+\.$/);
      expect(typeof advice.retryable, kind).toBe('boolean');
    }
  });

  it('says that damaged, missing and empty files cannot be helped by a retry', () => {
    expect(failureAdvice('unreadable_audio', 'ffmpeg: Header missing; sample rate not set')).toMatchObject({
      sentence: "This file isn't audio we can read — it may be damaged.",
      retryable: false,
    });
    expect(failureAdvice('file_missing', 'The audio file no longer exists: a.wav')).toMatchObject({
      sentence: 'The file was removed before it could be transcribed.',
      retryable: false,
    });
    expect(failureAdvice('unreadable_audio', 'The file is empty (0 bytes)').sentence).toMatch(/empty/);
    expect(
      failureAdvice('unreadable_audio', 'The file is truncated: its header declares 3 s of audio').sentence,
    ).toMatch(/cut short/);
  });

  it('lets a transient failure, or an unreadable one that access would fix, be retried', () => {
    expect(failureAdvice('engine_failed').retryable).toBe(true);
    expect(failureAdvice('disk_full').retryable).toBe(true);
    expect(
      failureAdvice(
        'unreadable_audio',
        'Hark is not allowed to read the file (permission denied): give it read access',
      ).retryable,
    ).toBe(true);
  });

  it('reads a kind it does not know (a newer database) as an internal failure', () => {
    expect(failureAdvice('something_new')).toEqual(FAILURE_ADVICE.internal);
  });
});
