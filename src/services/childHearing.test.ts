import { describe, expect, it } from 'vitest';
import type { Segment } from '../core/types.js';
import type { ChunkRecognizer, RecognizerSession } from '../transcription/recognizer.js';
import { ChildHearingRecognizer } from './childHearing.js';

function recognizerWithSessions(log: string[]): ChunkRecognizer & { openSession(): RecognizerSession } {
  const heard = async (): Promise<Segment[]> => {
    log.push('heard');
    return [];
  };
  return {
    name: 'sessions',
    recognize: heard,
    dispose: async () => {},
    openSession: () => ({
      recognize: heard,
      close: async () => {
        log.push('closed');
      },
    }),
  };
}

describe('ChildHearingRecognizer', () => {
  it('says when a session’s child process hears a window, as for a window heard on its own', async () => {
    const log: string[] = [];
    const wrapped = new ChildHearingRecognizer(recognizerWithSessions(log), async (hearing) => {
      log.push(hearing ? 'hearing' : 'done');
    });
    const signal = new AbortController().signal;
    await wrapped.recognize(new Float32Array(16), { signal });
    const session = wrapped.openSession?.();
    await session?.recognize(new Float32Array(16), { signal });
    await session?.close();
    expect(log).toEqual(['hearing', 'heard', 'done', 'hearing', 'heard', 'done', 'closed']);
  });

  it('offers sessions only when the recogniser it wraps does', () => {
    const plain: ChunkRecognizer = { name: 'plain', recognize: async () => [], dispose: async () => {} };
    expect(new ChildHearingRecognizer(plain, async () => {}).openSession).toBeUndefined();
  });
});
