import type { HarkServices } from './services.js';

/** The system's own pause reason when there is nothing to transcribe with. */
export const NO_ENGINE_REASON = 'no transcription engine';

/** No engine: pause with the system's reason so tasks wait instead of failing. An engine again: lift that pause. */
export async function syncEnginePause(
  services: HarkServices,
  hasEngine: boolean,
  reason: string,
): Promise<void> {
  const { queue, events, log } = services;
  const pause = await queue.getPause();
  if (!hasEngine) {
    log.warn(
      `no transcription engine: ${reason}. The queue is paused; tasks wait until an engine is available.`,
    );
    if (!pause.paused) await queue.pause(NO_ENGINE_REASON);
    queue.setResumeGuard(() => `There is no transcription engine to run the queue with (${reason})`);
    // A resume from another process (\`hark resume\`) cannot be refused there: undo it here.
    events.on('pause-changed', (state) => {
      if (!state.paused) void queue.pause(NO_ENGINE_REASON).catch(() => {});
    });
  } else if (pause.paused && pause.reason === NO_ENGINE_REASON) {
    await queue.resume();
  }
}
