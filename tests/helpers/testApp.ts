import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { onTestFinished } from 'vitest';
import { HarkApp } from '../../src/app/harkApp.js';
import type { TranscriptionEngine } from '../../src/core/engine.js';
import { type RawOptions, resolveConfig } from '../../src/services/config.js';
import { type Log, silentLog } from '../../src/services/log.js';
import { type FakeAudioSpec, FakeEngine, fakeAudio } from '../../src/transcription/fakeEngine.js';
import { authHeaders, hasCredential, rememberHark } from './auth.js';
import { tempDir } from './tmp.js';

export interface TestApp {
  app: HarkApp;
  dir: string;
  notes: string;
  data: string;
  port: number;
  engine: TranscriptionEngine | null;
  /**
   * Injects a request with Hark's own Host header (the check refuses any other) and the
   * install's secret as a bearer token, unless the request brings an Authorization of its own.
   */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** The same, with no credential at all (what a stranger sends). */
  anonymous(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** `{ authorization: 'Bearer <secret>' }` ({} with auth: false). */
  authHeaders: Record<string, string>;
  /** Writes a fake audio file into the notes folder, a minute old so a scan takes it. */
  addFile(path: string, spec?: FakeAudioSpec | Buffer): string;
}

/** A real Hark (lock, store, worker, recording flow, server on a free port) on temporary folders. */
export async function startTestApp(
  options: {
    files?: Record<string, FakeAudioSpec>;
    /** 'configured': Hark chooses its engines from the settings and the configuration (the engine hub). */
    engine?: TranscriptionEngine | null | 'configured';
    env?: Record<string, string>;
    /** Command-line options, as `hark start` would be given them. */
    flags?: RawOptions;
    /** With 'configured': download the default model in the background when none is installed. */
    pullModel?: boolean;
    /** Where Hark's log lines go (silent by default). */
    log?: Log;
    /** The folder to make notes/ and data/ in (a fresh temporary one by default). */
    dir?: string;
    backgroundCheckpoints?: boolean;
    /** Ask for credentials (default true, as `hark start`; false is `--no-auth`). */
    auth?: boolean;
  } = {},
): Promise<TestApp> {
  const dir = options.dir ?? tempDir();
  const notes = join(dir, 'notes');
  const data = join(dir, 'data');
  mkdirSync(notes, { recursive: true });
  const addFile = (path: string, spec: FakeAudioSpec | Buffer = {}) => {
    const full = join(notes, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, Buffer.isBuffer(spec) ? spec : fakeAudio(spec));
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(full, minuteAgo, minuteAgo);
    return full;
  };
  for (const [path, spec] of Object.entries(options.files ?? {})) addFile(path, spec);
  const given = options.engine === undefined ? new FakeEngine({ msPerChunk: 1 }) : options.engine;
  // No sleep lock from test apps unless a test asks: tests are not work to keep a machine awake for.
  const config = resolveConfig(
    { notes, data, port: '0', ...options.flags },
    { HARK_NO_KEEP_AWAKE: '1', ...options.env },
  );
  const app = await HarkApp.start(config, {
    log: options.log ?? silentLog,
    serve: true,
    watch: false,
    settleMs: 0,
    ...(given === 'configured' ? { pullModel: options.pullModel ?? false } : { engine: given }),
    ...(options.backgroundCheckpoints === undefined
      ? {}
      : { backgroundCheckpoints: options.backgroundCheckpoints }),
    auth: options.auth ?? true,
  });
  onTestFinished(() => app.stop());
  const http = app.http;
  if (!http) throw new Error('not serving');
  const port = Number(new URL(app.url ?? '').port);
  rememberHark(port, data);
  const credential: Record<string, string> = options.auth === false ? {} : authHeaders(data);
  const host = { host: `localhost:${port}` };
  const engine = given === 'configured' ? app.engine : given;
  return {
    app,
    dir,
    notes,
    data,
    port,
    engine,
    request: (request) =>
      http.inject({
        ...request,
        headers: { ...host, ...(hasCredential(request.headers) ? {} : credential), ...request.headers },
      }),
    anonymous: (request) => http.inject({ ...request, headers: { ...host, ...request.headers } }),
    authHeaders: credential,
    addFile,
  };
}
