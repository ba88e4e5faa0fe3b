import type { RecordingFlow } from '../app/recordingFlow.js';
import type { HarkServices } from '../app/services.js';
import type { EventStream } from './sse.js';

/** What the routes work with: the same services the CLI uses. */
export interface ServerContext {
  services: HarkServices;
  /** The recording flow; null when Hark runs without the worker (no engine yet it still records). */
  recordings: RecordingFlow | null;
  events: EventStream;
  uploadLimitBytes: number;
  /** The name of the engine in use, or null. */
  engineName: string | null;
}
