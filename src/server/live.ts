import type { HarkBus } from '../core/events.js';
import type { RecordingStateHolder } from '../core/recordingState.js';
import type { QueueManager } from '../queue/queueManager.js';
import { queueStatusBody, type StatusPage } from './queueStatus.js';
import { EventStream, rawJson } from './sse.js';
import { StatusCache } from './statusCache.js';

/** What keeps every open page up to date: the event stream and the queue-status pages it sends. */
export interface LiveUpdates {
  events: EventStream;
  /** Pages of the queue status, cleared on every change (see statusCache.ts and queueStatus.ts). */
  statusCache: StatusCache<StatusPage>;
  close(): void;
}

/**
 * The event stream every page keeps open: each change to the queue, the
 * recording state or the transcriptions marks it dirty, and a broadcast
 * sends the first page of pending work and the transcriptions' version.
 * The status body is built as JSON once (from the cached pieces) and sent as is.
 */
export function startLiveUpdates(
  queue: QueueManager,
  recording: RecordingStateHolder,
  bus: HarkBus,
  /** The background engine in use, whose speed the total time left is drawn from. */
  engineName: () => string | null = () => null,
  /** Subscribes to saved settings changing (a PUT, or another process's save read back): open Settings pages refetch. */
  onSettingsChange: ((listener: () => void) => () => void) | null = null,
): LiveUpdates {
  let transcriptionsVersion = 0;
  let settingsVersion = 0;
  const statusCache = new StatusCache<StatusPage>();
  const events = new EventStream(async () => [
    {
      event: 'background-task-update',
      data: rawJson(
        await queueStatusBody(queue, recording, statusCache, { status: 'pending', limit: 50 }, engineName()),
      ),
    },
    { event: 'transcriptions-changed', data: { version: transcriptionsVersion } },
    { event: 'settings-changed', data: { version: settingsVersion } },
  ]);
  const changed = () => {
    statusCache.invalidate();
    events.notify();
  };
  bus.on('queue-changed', changed);
  // The running task's progress alone: the cached pages stay (the progress is filled in fresh).
  bus.on('task-update', () => events.notify());
  bus.on('pause-changed', changed);
  bus.on('transcription-changed', () => {
    transcriptionsVersion++;
    events.notify();
  });
  bus.on('recording-changed', changed);
  const stopSettings = onSettingsChange?.(() => {
    settingsVersion++;
    events.notify();
  });
  return {
    events,
    statusCache,
    close: () => {
      stopSettings?.();
      events.close();
    },
  };
}
