import { describe, expect, it } from 'vitest';
import type { Task } from '../core/types.js';
import { clockDuration, elapsed, finishedTaskLine } from './taskLines.js';

function task(overrides: Partial<Task>): Task {
  return {
    id: 1,
    transcriptionId: 't1',
    taskType: 'transcribe_orphan',
    priority: 1,
    status: 'pending',
    progress: 0,
    attempts: 1,
    maxRetries: 2,
    preemptedCount: 0,
    errorKind: null,
    errorMessage: null,
    audioPath: 'inbox/Meeting with Ana.mp3',
    originalName: null,
    createdAt: 0,
    availableAt: 0,
    startedAt: 1_000,
    completedAt: 59_000,
    checkpointSeconds: 0,
    duration: 156,
    lockedBy: null,
    ...overrides,
  } as Task;
}

describe('finishedTaskLine', () => {
  it('a completed task: ✓, its name, the audio length and the time it took', () => {
    expect(finishedTaskLine(task({ status: 'completed' }))).toEqual({
      level: 'info',
      text: '✓ Meeting with Ana.mp3 (2:36) in 58 s',
    });
  });

  it('a failed task: ✗ and the reason, as a warning', () => {
    const failed = task({
      status: 'failed',
      errorKind: 'unreadable_audio',
      errorMessage: 'not audio we can read',
    });
    expect(finishedTaskLine(failed)).toEqual({
      level: 'warn',
      text: '✗ Meeting with Ana.mp3: not audio we can read',
    });
  });

  it('a recording made in Hark says so, done or failed', () => {
    const recording = {
      taskType: 'transcribe_recording' as const,
      audioPath: '2026-11-28/143015-voice-note.webm',
    };
    expect(finishedTaskLine(task({ ...recording, status: 'completed' }))?.text).toBe(
      '✓ recording 143015-voice-note.webm (2:36) in 58 s',
    );
    expect(finishedTaskLine(task({ ...recording, status: 'failed', errorMessage: 'no engine' }))?.text).toBe(
      '✗ recording 143015-voice-note.webm: no engine',
    );
  });

  it('leaves out what is not known, and says nothing for a task still on its way', () => {
    expect(finishedTaskLine(task({ status: 'completed', startedAt: null }), null)?.text).toBe(
      '✓ Meeting with Ana.mp3',
    );
    expect(finishedTaskLine(task({ status: 'processing' }))).toBeNull();
    expect(finishedTaskLine(task({ status: 'cancelled' }))).toBeNull();
  });

  it('formats lengths as a clock and waits in seconds or minutes', () => {
    expect([clockDuration(5), clockDuration(156), clockDuration(3725)]).toEqual(['0:05', '2:36', '1:02:05']);
    expect([elapsed(400), elapsed(58_000), elapsed(184_000)]).toEqual(['0 s', '58 s', '3 min 4 s']);
  });
});
