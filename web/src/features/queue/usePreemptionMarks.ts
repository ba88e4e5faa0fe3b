import { useRef } from 'react';
import type { TaskJson } from '../../api/types';

export interface PreemptionContext {
  /** The running task's id and preempted_count, or null. */
  activeId: number | null;
  activePreemptedCount: number;
  /** recording_state is not Idle. */
  recording: boolean;
  /** Paused by the user or the system: a preemption then explains itself. */
  paused: boolean;
}

/**
 * Which pending tasks to mark "Paused for your recording": a task whose
 * preempted_count grew while this page watched (a recording stopped it), and,
 * while a recording is under way, the task next in line.
 */
export function usePreemptionMarks(context: PreemptionContext, pending: TaskJson[]) {
  const firstSeen = useRef(new Map<number, number>());
  const seen = firstSeen.current;
  // Running again: whatever stopped it is over.
  if (context.activeId !== null) seen.set(context.activeId, context.activePreemptedCount);
  for (const task of pending) if (!seen.has(task.id)) seen.set(task.id, task.preempted_count);

  return (task: TaskJson, index: number): boolean => {
    if (context.paused) return false;
    if (context.recording && index === 0) return true;
    return task.preempted_count > (seen.get(task.id) ?? task.preempted_count);
  };
}
