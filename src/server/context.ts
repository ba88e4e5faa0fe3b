import type { ModelManager } from '../models/manager.js';
import type { ForegroundResult } from '../queue/foreground.js';
import type { AccessControl } from '../services/auth/accessControl.js';
import type { EngineGate } from '../services/engineGate.js';
import type { EngineHub } from '../services/engineHub.js';
import type { RecordingFlow } from '../services/recordingFlow.js';
import type { Retention } from '../services/retention.js';
import type { HarkServices } from '../services/services.js';
import type { SettingsService } from '../services/settings.js';
import type { StatusPage } from './queueStatus.js';
import type { EventStream } from './sse.js';
import type { StatusCache } from './statusCache.js';

/** What the server is built from: the same services the CLI uses, and what only the app has. */
export interface ServerDeps {
  services: HarkServices;
  /** The recording flow; null when Hark runs without the worker (no engine yet it still records). */
  recordings: RecordingFlow | null;
  uploadLimitBytes: number;
  /** Transcribes a file in the foreground now (`hark transcribe-now`); null without an engine. */
  transcribeNow: ((path: string) => Promise<TranscribeNowResult>) | null;
  /** The name of the engine in use, or null. */
  engineName: string | null;
  /** Who may use the API (the secret, codes, sessions); null with --no-auth: everyone. */
  access: AccessControl | null;
  /** With --lan: where phones reach Hark (HTTPS) and the certificate's fingerprint; null or absent without. */
  lan?: LanInfo | null;
  /** Settings, models and the engines they choose (absent when a test gives the engine itself). */
  control?: Control | null;
}

export interface LanInfo {
  /** SHA-256 fingerprint of the LAN certificate (AB:CD:…), for a person to compare on the phone. */
  fingerprint: string;
  /** `https://<address>:<port>` for each LAN address, once listening. */
  urls(): string[];
}

/** What the Settings page works with. */
export interface Control {
  settings: SettingsService;
  models: ModelManager;
  hub: EngineHub;
  gate: EngineGate;
  retention: Retention;
}

/** What the routes work with: the server's inputs and its live updates (live.ts). */
export interface ServerContext extends ServerDeps {
  events: EventStream;
  /** Pages of the queue status, cleared on every change (see statusCache.ts and queueStatus.ts). */
  statusCache: StatusCache<StatusPage>;
}

export type TranscribeNowResult = ForegroundResult & { audioPath: string };

/** The name of the engine the queue's worker transcribes with (the background model), or null. */
export function backgroundEngine(deps: Pick<ServerDeps, 'control' | 'engineName'>): string | null {
  return deps.control?.hub.status('background').engine ?? deps.engineName;
}
