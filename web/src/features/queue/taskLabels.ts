import { taskKindLabel as kindLabel } from '../../../../src/core/taskKinds';
import type { QueueStatusJson, TaskJson } from '../../api/types';

/** What kind of work a task is, in the words the UI uses everywhere (core's rule). */
export function taskKindLabel(task: TaskJson): string {
  return kindLabel({ taskType: task.task_type, priority: task.priority, audioPath: task.audio_path });
}

/** Why the queue is paused, as a sentence; null when it is not. */
export function pauseExplanation(queue: Pick<QueueStatusJson, 'is_paused' | 'pause_reason'>): string | null {
  if (!queue.is_paused) return null;
  if (queue.pause_reason === null || queue.pause_reason === 'user') {
    return 'Paused by you. Nothing new starts until you resume; your own recordings are still transcribed.';
  }
  if (isWaitingByRule(queue.pause_reason)) {
    return `Waiting: ${queue.pause_reason}. Background work starts by itself then, or press Resume to run it now; your own recordings are still transcribed.`;
  }
  return `Paused by Hark: ${queue.pause_reason}. Tasks wait here until that is fixed.`;
}

/** Pauses made by the user's own rules (the run schedule, pause on battery): Resume overrides them. */
function isWaitingByRule(reason: string | null): boolean {
  return reason !== null && (reason.startsWith('outside the schedule') || reason === 'on battery power');
}

export function isPausedBySystem(queue: Pick<QueueStatusJson, 'is_paused' | 'pause_reason'>): boolean {
  return (
    queue.is_paused &&
    queue.pause_reason !== null &&
    queue.pause_reason !== 'user' &&
    !isWaitingByRule(queue.pause_reason)
  );
}
