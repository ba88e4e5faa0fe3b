import { createBus, type HarkBus } from './events.js';
import type { RecordingState } from './types.js';

/**
 * The plan's RecordingState. The worker starts a task only while this is Idle,
 * and leaving Idle pre-empts a running background task (unless the policy is
 * `never`). Each change is told on the bus as `recording-changed`.
 */
export class RecordingStateHolder {
  private state: RecordingState = 'Idle';

  /** @param bus Where changes are told; a holder of its own (the CLI's transcribe-now) may keep them to itself. */
  constructor(private readonly bus: HarkBus = createBus()) {}

  get(): RecordingState {
    return this.state;
  }

  isIdle(): boolean {
    return this.state === 'Idle';
  }

  set(next: RecordingState): void {
    if (next === this.state) return;
    const from = this.state;
    this.state = next;
    this.bus.emit('recording-changed', { from, to: next });
  }
}
