import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { TranscriptionEngine } from '../core/engine.js';
import { FolderWatcher } from '../files/watcher.js';
import { ForegroundTranscriber } from '../queue/foreground.js';
import type { ScanResult } from '../queue/scanner.js';
import { Worker } from '../queue/worker.js';
import { buildServer } from '../server/app.js';
import type { HarkConfig } from '../services/config.js';
import { syncEnginePause } from '../services/enginePause.js';
import { selectEngine } from '../services/engines.js';
import type { Log } from '../services/log.js';
import { purgeTrash } from '../services/notes.js';
import { RecordingFlow } from '../services/recordingFlow.js';
import { tidyAfterCrash } from '../services/recovery.js';
import { type HarkServices, openServices } from '../services/services.js';
import { transcribeNow } from '../services/transcribeNow.js';
import { ChangeWatcher } from './changeWatcher.js';
import { InstanceLock } from './instanceLock.js';
import { assertPortFree, portProblem } from './portProbe.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StartOptions {
  log: Log;
  /** Watch the notes folder for new audio after the first scan. */
  watch?: boolean;
  /** Serve the web app and API (hark start does; some tests and --exit-when-idle do not). */
  serve?: boolean;
  /** Settle time for files still being written (tests shorten it). */
  settleMs?: number;
  /** Use this engine instead of choosing one from the configuration (tests). */
  engine?: TranscriptionEngine | null;
  onScan?: (result: ScanResult) => void;
  /** With --engine auto and no model, download the default one first (what `hark start` does). */
  pullModel?: boolean;
  onPullProgress?: (bytes: number, total: number) => void;
  /** The WAL is checkpointed from a thread of its own (default true; see BackgroundCheckpointer). */
  backgroundCheckpoints?: boolean;
}

/**
 * A running Hark: the single-instance lock, crash recovery, the worker, the
 * recording flow, the scanner and watcher, and the web server. The order of
 * start-up matters: recovery runs before the worker can claim anything, and
 * only in the process that holds the lock.
 */
export class HarkApp {
  private watcher: FolderWatcher<ScanResult> | null = null;
  private cancelPurge: (() => void) | null = null;
  private changes: ChangeWatcher | null = null;
  private server: FastifyInstance | null = null;
  private stopped = false;
  url: string | null = null;

  private constructor(
    readonly services: HarkServices,
    readonly worker: Worker | null,
    readonly engine: TranscriptionEngine | null,
    readonly recordings: RecordingFlow,
    readonly foreground: ForegroundTranscriber | null,
    private readonly lock: InstanceLock,
  ) {}

  static async start(config: HarkConfig, options: StartOptions): Promise<HarkApp> {
    const lock = InstanceLock.acquire(config.dataDir);
    let services: HarkServices | null = null;
    let app: HarkApp | null = null;
    try {
      const inFlight = new Set<string>();
      services = openServices(config, {
        log: options.log,
        backgroundCheckpoints: options.backgroundCheckpoints ?? true,
        scanner: {
          exclude: () => inFlight,
          ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
        },
      });
      const { queue, log } = services;
      await tidyAfterCrash(services);
      // A taken port is said in one line now, not after minutes of model download.
      if (options.serve) await assertPortFree(config.host, config.port);

      const selection =
        options.engine !== undefined
          ? { engine: options.engine, reason: options.engine ? 'given' : 'none given' }
          : await selectEngine(config, log, {
              pullIfMissing: options.pullModel ?? false,
              onHearing: (hearing) => queue.markEngineChild(hearing),
              ...(options.onPullProgress ? { onPullProgress: options.onPullProgress } : {}),
            });
      const engine = selection.engine;
      if (engine) log.info(`transcribing with ${engine.name}: ${selection.reason}`);
      const worker = engine ? HarkApp.makeWorker(services, engine) : null;
      const foreground = engine
        ? new ForegroundTranscriber({
            ...services,
            engine,
            worker,
            writeSidecars: config.writeSidecars,
            sidecarFormat: config.sidecarFormat,
            log: log.child({ part: 'foreground' }),
          })
        : null;
      const recordings = new RecordingFlow(services, foreground, engine, inFlight);
      await recordings.recoverAfterCrash();
      await syncEnginePause(services, engine !== null, selection.reason);

      app = new HarkApp(services, worker, engine, recordings, foreground, lock);
      if (options.serve) await app.serve(engine?.name ?? null);
      worker?.start();
      await app.startWatching(options);
      lock.markReady();
      return app;
    } catch (error) {
      if (app) await app.stop();
      else {
        await services?.close();
        lock.release();
      }
      throw error;
    }
  }

  private static makeWorker(services: HarkServices, engine: TranscriptionEngine): Worker {
    const { queue, events, clock, recording, notes, config, log } = services;
    return new Worker({
      queue,
      events,
      engine,
      clock,
      recording,
      notes,
      workerId: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      preempt: config.preempt,
      writeSidecars: config.writeSidecars,
      sidecarFormat: config.sidecarFormat,
      log: log.child({ part: 'worker' }),
    });
  }

  /** Starts the web server (which feeds every open page: server/live.ts). */
  private async serve(engineName: string | null): Promise<void> {
    const { config } = this.services;
    let port = config.port;
    this.server = await buildServer(
      {
        services: this.services,
        recordings: this.recordings,
        uploadLimitBytes: config.uploadLimitBytes,
        engineName,
        transcribeNow: this.foreground
          ? (path) => transcribeNow(this.services, this.foreground as ForegroundTranscriber, path)
          : null,
      },
      { host: config.host, port: () => port },
    );
    await this.server.listen({ host: config.host, port: config.port }).catch((error: unknown) => {
      throw portProblem(error, config.port) ?? error;
    });
    port = (this.server.server.address() as AddressInfo).port;
    const shownHost = ['127.0.0.1', '0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
    this.url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    this.lock.setUrl(this.url);
  }

  private async startWatching(options: StartOptions): Promise<void> {
    const { queue, scanner, clock, config, log } = this.services;
    this.changes = new ChangeWatcher(
      queue,
      async () => {
        await queue.syncExternalChanges();
        this.worker?.wake();
      },
      { databaseFile: config.dbPath },
    );
    await this.changes.start();
    this.purgeTrashDaily();
    const first = await scanner.scan();
    options.onScan?.(first);
    log.info(
      `scanned ${config.notesDir}: ${first.audioFiles} audio file(s), ${first.queued} new in the queue` +
        (first.adopted ? `, ${first.adopted} transcript(s) adopted` : ''),
    );
    if (options.watch !== false) {
      this.watcher = new FolderWatcher(config.notesDir, scanner, clock, {
        log: log.child({ part: 'watcher' }),
        ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
        ...(options.onScan ? { onScan: options.onScan } : {}),
      });
      void this.watcher.start();
      if (first.unsettled > 0) this.watcher.rescanAfterSettling();
    }
  }

  /** Notes 30 days in the trash are removed for good: now, and every day while Hark runs. */
  private purgeTrashDaily(): void {
    const purge = () =>
      void purgeTrash(this.services).catch((error: unknown) =>
        this.services.log.warn(`emptying the trash failed: ${(error as Error).message}`),
      );
    purge();
    const again = () => {
      this.cancelPurge = this.services.clock.setTimer(DAY_MS, () => {
        purge();
        if (!this.stopped) again();
      });
    };
    again();
  }

  get queue() {
    return this.services.queue;
  }

  /** The web server, when serving (tests inject requests into it). */
  get http(): FastifyInstance | null {
    return this.server;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelPurge?.();
    await this.watcher?.stop();
    this.changes?.stop();
    await this.server?.close();
    await this.worker?.stop();
    await this.engine?.dispose();
    await this.services.close();
    this.lock.release();
  }
}
