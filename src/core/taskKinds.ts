import { Priority, type Source, type TaskType } from './types.js';

/**
 * What kind of work a task is (issue 11): a recording made in Hark keeps a kind of its own
 * through the queue, so the UI, the CLI and the history can say so. Pure.
 */
export function taskTypeFor(source: Source): TaskType {
  if (source === 'recording') return 'transcribe_recording';
  if (source === 'imported') return 'transcribe_imported';
  return 'transcribe_orphan';
}

export function isRecordingTask(task: { taskType: TaskType }): boolean {
  return task.taskType === 'transcribe_recording';
}

/** The kind in the words the UI uses everywhere ("Recorded in Hark", as the note itself says). */
export function taskKindLabel(task: { taskType: TaskType; priority: number }): string {
  if (task.taskType === 'transcribe_recording') return 'Recorded in Hark';
  if (task.taskType === 'transcribe_imported') return 'Imported';
  // Before the recording kind (migration 0007), a recording queued at High priority as an orphan.
  if (task.priority >= Priority.High) return 'Recovered recording';
  return 'Recovered orphan';
}

/** The kind in one short word, for the terminal's task table. */
export function taskKindWord(taskType: TaskType): string {
  if (taskType === 'transcribe_recording') return 'recording';
  if (taskType === 'transcribe_imported') return 'import';
  return 'found';
}
