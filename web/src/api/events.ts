import { notifySignedOut } from './signedOut';
import type { QueueStatusJson } from './types';

/** `connecting` until the stream first opens; `unreachable` from an error until it opens again. */
export type ConnectionState = 'connecting' | 'open' | 'unreachable';

export interface EventHandlers {
  onQueue: (status: QueueStatusJson) => void;
  onTranscriptionsVersion: (version: number) => void;
  /** The saved settings changed (here or in another process): the Settings page refetches. */
  onSettingsVersion?: (version: number) => void;
  onConnection: (state: ConnectionState) => void;
  /** The stream opened again after being down: whatever the page fetched may be stale. */
  onReconnect: () => void;
}

/** How long to wait before opening a new stream when the browser has given up on the old one. */
const REOPEN_DELAYS_MS = [1000, 2000, 4000, 8000];

/**
 * Listens to `GET /api/events`. EventSource reconnects by itself after a
 * dropped connection (the server asks for `retry: 1000`); when it gives up
 * for good (an HTTP error, say), a new one is opened with a growing delay.
 * Returns a function that closes the stream.
 */
export function connectEvents(handlers: EventHandlers, url = '/api/events'): () => void {
  let source: EventSource | null = null;
  let reopenTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let everOpened = false;
  /** Set by an error: the next `open` is a reconnection. */
  let down = false;
  let closed = false;

  const open = () => {
    source = new EventSource(url);
    source.addEventListener('open', () => {
      failures = 0;
      if (everOpened && down) handlers.onReconnect();
      everOpened = true;
      down = false;
      handlers.onConnection('open');
    });
    source.addEventListener('error', () => {
      if (closed) return;
      down = true;
      handlers.onConnection('unreachable');
      if (source?.readyState === EventSource.CLOSED) {
        source = null;
        // An HTTP error closes the stream for good: a 401 means this page was signed out.
        void fetch('/api/health').then(
          (answer) => answer.status === 401 && notifySignedOut(),
          () => {},
        );
        const delay = REOPEN_DELAYS_MS[Math.min(failures, REOPEN_DELAYS_MS.length - 1)] ?? 8000;
        failures++;
        reopenTimer = setTimeout(open, delay);
      } else {
        failures++;
      }
    });
    source.addEventListener('background-task-update', (event) => {
      const status = parse<QueueStatusJson>(event);
      if (status) handlers.onQueue(status);
    });
    source.addEventListener('transcriptions-changed', (event) => {
      const data = parse<{ version: number }>(event);
      if (data && typeof data.version === 'number') handlers.onTranscriptionsVersion(data.version);
    });
    source.addEventListener('settings-changed', (event) => {
      const data = parse<{ version: number }>(event);
      if (data && typeof data.version === 'number') handlers.onSettingsVersion?.(data.version);
    });
  };

  open();
  return () => {
    closed = true;
    if (reopenTimer) clearTimeout(reopenTimer);
    source?.close();
  };
}

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}
