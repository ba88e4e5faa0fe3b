import { describe, expect, it } from 'vitest';
import { isRecordingTask, taskKindLabel, taskKindWord, taskTypeFor } from './taskKinds.js';
import { Priority, TASK_TYPES } from './types.js';

describe('task kinds', () => {
  it('gives a recording made in Hark a kind of its own, not an orphan’s', () => {
    expect(taskTypeFor('recording')).toBe('transcribe_recording');
    expect(taskTypeFor('orphan')).toBe('transcribe_orphan');
    expect(taskTypeFor('imported')).toBe('transcribe_imported');
    expect(isRecordingTask({ taskType: 'transcribe_recording' })).toBe(true);
    expect(isRecordingTask({ taskType: 'transcribe_orphan' })).toBe(false);
  });

  it('names every kind in plain words, a recording as its note does', () => {
    expect(taskKindLabel({ taskType: 'transcribe_recording', priority: Priority.High })).toBe(
      'Recorded in Hark',
    );
    expect(taskKindLabel({ taskType: 'transcribe_imported', priority: Priority.Normal })).toBe('Imported');
    expect(taskKindLabel({ taskType: 'transcribe_orphan', priority: Priority.Low })).toBe('Recovered orphan');
    // A recording queued by a Hark before the kind existed.
    expect(taskKindLabel({ taskType: 'transcribe_orphan', priority: Priority.High })).toBe(
      'Recovered recording',
    );
    expect(TASK_TYPES.map(taskKindWord)).toEqual(['found', 'import', 'recording']);
  });
});
