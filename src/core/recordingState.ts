import { TypedEmitter } from './events.js';
import type { RecordingState } from './types.js';

interface RecordingEvents {
  change: { from: RecordingState; to: RecordingState };
}

/**
 * The plan's RecordingState. The worker starts a task only while this is Idle,
 * and leaving Idle pre-empts a running background task (unless the policy is
 * `never`).
 */
export class RecordingStateHolder extends TypedEmitter<RecordingEvents> {
  private state: RecordingState = 'Idle';

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
    this.emit('change', { from, to: next });
  }
}
