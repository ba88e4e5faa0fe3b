import { describe, expect, it } from 'vitest';
import { isRecordingTask, taskKindLabel, taskKindWord, taskTypeFor } from './taskKinds.js';
import { Priority, TASK_TYPES, type TaskType } from './types.js';

describe('task kinds', () => {
  it('gives a recording made in Hark a kind of its own, not an orphan’s', () => {
    expect(taskTypeFor('recording')).toBe('transcribe_recording');
    expect(taskTypeFor('orphan')).toBe('transcribe_orphan');
    expect(taskTypeFor('imported')).toBe('transcribe_imported');
    expect(isRecordingTask({ taskType: 'transcribe_recording' })).toBe(true);
    expect(isRecordingTask({ taskType: 'transcribe_orphan' })).toBe(false);
  });

  it('names every kind in plain words, the same as its note does', () => {
    const label = (taskType: TaskType, audioPath: string, priority: number = Priority.Normal) =>
      taskKindLabel({ taskType, priority, audioPath });
    expect(label('transcribe_recording', 'voice-note.wav', Priority.High)).toBe('Recorded in Hark');
    expect(label('transcribe_imported', 'imports/Meeting with Ana.mp3')).toBe('Imported');
    expect(label('transcribe_orphan', '2024-05-05/071500-voice-note.wav', Priority.Low)).toBe(
      'Found in your notes folder',
    );
    // The scanner queues a file with a name of the user's own as an import: it was found, not imported.
    expect(label('transcribe_imported', '2024-05-05/groceries again.wav')).toBe('Found in your notes folder');
    // A recording queued by a Hark before the kind existed.
    expect(label('transcribe_orphan', 'voice-note.wav', Priority.High)).toBe('Recorded in Hark');
    const word = (taskType: TaskType, audioPath: string) =>
      taskKindWord({ taskType, priority: Priority.Normal, audioPath });
    expect(TASK_TYPES.map((type) => word(type, 'imports/a.wav'))).toEqual(['found', 'import', 'recording']);
    expect(word('transcribe_imported', 'notes/a.wav')).toBe('found');
  });
});
