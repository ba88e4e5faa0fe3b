import { ORIGIN_LABELS, originOf } from './origins.js';
import { type Origin, Priority, type Source, type TaskType } from './types.js';

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

/**
 * Where a task's audio came from, as its note says it (core/notes.ts originOf): the kind alone
 * does not tell, because the scanner queues a file whose name is not one of Hark's own as an
 * import (with its name kept), though it was found in the notes folder, not imported.
 */
export function taskOrigin(task: { taskType: TaskType; priority: number; audioPath: string }): Origin {
  // A recording queued by a Hark before the kind existed: an orphan at High priority.
  if (task.taskType === 'transcribe_recording' || task.priority >= Priority.High) return 'recorded';
  return originOf(task.taskType === 'transcribe_imported' ? 'imported' : 'orphan', task.audioPath);
}

/** The kind in the words the UI uses everywhere, the same as the task's note says. */
export function taskKindLabel(task: { taskType: TaskType; priority: number; audioPath: string }): string {
  return ORIGIN_LABELS[taskOrigin(task)];
}

/** The kind in one short word, for the terminal's task table. */
export function taskKindWord(task: { taskType: TaskType; priority: number; audioPath: string }): string {
  return { recorded: 'recording', imported: 'import', found: 'found' }[taskOrigin(task)];
}
