import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TaskJson } from '../../src/core/json.js';
import { listChanges } from '../../web/src/features/live/listChanges.js';

function task(id: number, progress = 0): TaskJson {
  return { id, progress } as TaskJson;
}

function snapshot(overrides: Partial<QueueStatusJson> = {}): QueueStatusJson {
  return {
    is_paused: false,
    pause_reason: null,
    paused_at: null,
    recording_state: 'Idle',
    active_task: task(1, 0.1),
    active_tasks: [task(1, 0.1)],
    pending_count: 2,
    processing_count: 1,
    completed_count: 5,
    failed_count: 1,
    cancelled_count: 0,
    eta_total_seconds: null,
    tasks: [task(2), task(3)],
    next_cursor: null,
    ...overrides,
  };
}

describe('listChanges', () => {
  it('fetches every list for the first snapshot', () => {
    expect(listChanges(undefined, snapshot())).toEqual({ all: true, pending: true });
  });

  it('fetches nothing on a progress tick of the running task', () => {
    const before = snapshot();
    const tick = snapshot({ active_task: { ...task(1, 0.2), eta_seconds: 30 } });
    expect(listChanges(before, tick)).toEqual({ all: false, pending: false });
  });

  it('fetches nothing when only the pause changes', () => {
    expect(listChanges(snapshot(), snapshot({ is_paused: true, pause_reason: 'user' }))).toEqual({
      all: false,
      pending: false,
    });
  });

  it('fetches every list when any count changes', () => {
    for (const count of ['pending_count', 'processing_count', 'completed_count', 'failed_count'] as const) {
      expect(listChanges(snapshot(), snapshot({ [count]: 9 }))).toEqual({ all: true, pending: true });
    }
    expect(listChanges(snapshot(), snapshot({ cancelled_count: 1 })).all).toBe(true);
  });

  it('fetches the pending list alone when its first page is in another order', () => {
    expect(listChanges(snapshot(), snapshot({ tasks: [task(3), task(2)] }))).toEqual({
      all: false,
      pending: true,
    });
  });
});
