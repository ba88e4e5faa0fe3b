import type { EngineHub } from './engineHub.js';
import { NO_ENGINE_REASON } from './enginePause.js';
import type { HarkServices } from './services.js';

/** The system's pause reason while the queue waits for its model to download. */
export const MODEL_WAIT_REASON = 'waiting for the model download';

const SYSTEM_REASONS = new Set([NO_ENGINE_REASON, MODEL_WAIT_REASON]);

/**
 * Keeps the queue paused while the background role has no engine (none at
 * all, or its model still downloading) and lifts that pause, and only that
 * one, when an engine is there: the queue starts as soon as the model is
 * verified. A pause by the user is never lifted here.
 */
export class EngineGate {
  private blocked: string | null = null;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly services: HarkServices,
    private readonly hub: EngineHub,
  ) {}

  async start(): Promise<void> {
    const { queue, events } = this.services;
    queue.setResumeGuard(() => this.blocked);
    // A resume from another process (`hark resume`) cannot be refused there: undo it here.
    this.stopListening = events.on('pause-changed', (state) => {
      if (!state.paused && this.blocked) void queue.pause(this.reasonNow()).catch(() => {});
    });
    this.hub.onChange(() => void this.sync().catch(() => {}));
    await this.sync();
  }

  stop(): void {
    this.stopListening?.();
  }

  private reasonNow(): string {
    return this.hub.status('background').waiting_for ? MODEL_WAIT_REASON : NO_ENGINE_REASON;
  }

  async sync(): Promise<void> {
    const { queue, log } = this.services;
    const status = this.hub.status('background');
    const pause = await queue.getPause();
    if (status.kind === 'none') {
      const reason = this.reasonNow();
      this.blocked = status.waiting_for
        ? `The queue starts once the ${status.waiting_for} model is downloaded and verified`
        : `There is no transcription engine to run the queue with (${status.reason})`;
      if (!pause.paused || (pause.reason !== reason && SYSTEM_REASONS.has(pause.reason ?? ''))) {
        log.warn(`${status.reason}. The queue is paused; tasks wait until an engine is available.`);
        await queue.pause(reason);
      }
      return;
    }
    this.blocked = null;
    if (pause.paused && SYSTEM_REASONS.has(pause.reason ?? '')) await queue.resume();
  }
}
