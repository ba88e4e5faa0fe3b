import { displayName } from '../core/json.js';
import { isRecordingTask } from '../core/taskKinds.js';
import type { Task } from '../core/types.js';

/** A finished task as one line for the terminal and the log: info for a success, warn for a failure. */
export interface TaskLine {
  level: 'info' | 'warn';
  text: string;
}

/** Audio length as a clock reads it: 2:36, 1:02:05. */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Wall-clock time spent: "58 s", "3 min 4 s". */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * The line a task-update earns, or null while the task is still on its way
 * (pending, processing, cancelled). `duration` is the audio's length when the
 * task does not carry it (the transcription knows it).
 */
export function finishedTaskLine(task: Task, duration: number | null = task.duration): TaskLine | null {
  const name = displayName(task.audioPath, task.originalName);
  if (task.status === 'completed') {
    const length = duration !== null && duration > 0 ? ` (${clockDuration(duration)})` : '';
    const took =
      task.startedAt !== null && task.completedAt !== null
        ? ` in ${elapsed(task.completedAt - task.startedAt)}`
        : '';
    return { level: 'info', text: `✓ ${recordingMark(task)}${name}${length}${took}` };
  }
  if (task.status === 'failed') {
    return {
      level: 'warn',
      text: `✗ ${recordingMark(task)}${name}: ${task.errorMessage ?? task.errorKind ?? 'failed'}`,
    };
  }
  return null;
}

/** A recording made in Hark says so: the user is waiting for that one. */
function recordingMark(task: Task): string {
  return isRecordingTask(task) ? 'recording ' : '';
}
