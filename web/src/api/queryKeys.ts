import type { TaskStatus } from './types';

/**
 * The keys of the server state kept by TanStack Query. The event stream
 * invalidates them by prefix: `transcriptions` for every search, `tasks` for
 * every status.
 */
export const queryKeys = {
  /** The queue as the event stream last described it (set by the stream, never fetched). */
  liveQueue: ['queue', 'live'] as const,
  tasks: ['tasks'] as const,
  taskList: (status: TaskStatus) => ['tasks', status] as const,
  transcriptions: ['transcriptions'] as const,
  transcriptionList: (query: string) => ['transcriptions', query] as const,
  /** One note (the transcript view); under `transcriptions`, so the event stream refreshes it too. */
  note: (id: string) => ['transcriptions', { note: id }] as const,
  trash: ['transcriptions', { trash: true }] as const,
  /** The Settings page's data; the event stream refreshes them when the saved settings change. */
  settings: ['settings'] as const,
  health: ['health'] as const,
};
