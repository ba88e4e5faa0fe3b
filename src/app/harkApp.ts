import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { TranscriptionEngine } from '../core/engine.js';
import { ForegroundTranscriber } from '../queue/foreground.js';
import type { ScanResult } from '../queue/scanner.js';
import { FolderWatcher } from '../queue/watcher.js';
import { Worker } from '../queue/worker.js';
import { buildServer } from '../server/app.js';
import { queueStatusBody, type StatusPage } from '../server/queueStatus.js';
import { EventStream } from '../server/sse.js';
import { StatusCache } from '../server/statusCache.js';
import { removeStaleWindowFolders } from '../transcription/wav.js';
import { ChangeWatcher } from './changeWatcher.js';
import type { HarkConfig } from './config.js';
import { selectEngine } from './engines.js';
import { removeAbandonedImports } from './imports.js';
import { InstanceLock } from './instanceLock.js';
import type { Log } from './log.js';
import { RecordingFlow } from './recordingFlow.js';
import { type HarkServices, openServices } from './services.js';
import { writePendingSidecars } from './sidecars.js';
import { transcribeNow } from './transcribeNow.js';

/** The system's own pause reason when there is nothing to transcribe with. */
export const NO_ENGINE_REASON = 'no transcription engine';

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
  private watcher: FolderWatcher | null = null;
  private changes: ChangeWatcher | null = null;
  private server: FastifyInstance | null = null;
  private events: EventStream | null = null;
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
      const { queue, notes, log } = services;
      const recovered = await queue.recover();
      if (recovered.requeued + recovered.failed > 0) {
        log(
          `recovered after a crash: ${recovered.requeued} task(s) back in the queue, ${recovered.failed} failed`,
        );
      }
      await writePendingSidecars(queue, notes, log);
      const abandoned = removeAbandonedImports(notes.root);
      if (abandoned > 0) log(`removed ${abandoned} import(s) a crash had cut off mid-upload`);
      const staleWindows = removeStaleWindowFolders();
      if (staleWindows > 0) log(`removed ${staleWindows} temporary audio window(s) left by a killed Hark`);

      const selection =
        options.engine !== undefined
          ? { engine: options.engine, reason: options.engine ? 'given' : 'none given' }
          : await selectEngine(config, log, {
              pullIfMissing: options.pullModel ?? false,
              onHearing: (hearing) => queue.markEngineChild(hearing),
              ...(options.onPullProgress ? { onPullProgress: options.onPullProgress } : {}),
            });
      const engine = selection.engine;
      if (engine) log(`transcribing with ${engine.name}: ${selection.reason}`);
      const worker = engine ? HarkApp.makeWorker(services, engine) : null;
      const foreground = engine
        ? new ForegroundTranscriber({ ...services, engine, worker, writeSidecars: config.writeSidecars, log })
        : null;
      const recordings = new RecordingFlow(services, foreground, engine, inFlight);
      await recordings.recoverAfterCrash();
      await HarkApp.syncEnginePause(services, engine !== null, selection.reason);

      app = new HarkApp(services, worker, engine, recordings, foreground, lock);
      if (options.serve) await app.serve(engine?.name ?? null);
      worker?.start();
      await app.startWatching(options);
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
      log,
    });
  }

  /** No engine: pause with the system's reason so tasks wait instead of failing. An engine again: lift that pause. */
  private static async syncEnginePause(
    services: HarkServices,
    hasEngine: boolean,
    reason: string,
  ): Promise<void> {
    const { queue, events, log } = services;
    const pause = await queue.getPause();
    if (!hasEngine) {
      log(
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

  /** Starts the web server and the event stream that feeds every open page. */
  private async serve(engineName: string | null): Promise<void> {
    const { queue, events: bus, recording, config } = this.services;
    let transcriptionsVersion = 0;
    const statusCache = new StatusCache<StatusPage>();
    const events = new EventStream(async () => [
      {
        event: 'background-task-update',
        data: JSON.parse(
          await queueStatusBody(queue, recording, statusCache, { status: 'pending', limit: 50 }),
        ),
      },
      { event: 'transcriptions-changed', data: { version: transcriptionsVersion } },
    ]);
    this.events = events;
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

    let port = config.port;
    this.server = await buildServer(
      {
        services: this.services,
        recordings: this.recordings,
        events,
        statusCache,
        uploadLimitBytes: config.uploadLimitBytes,
        engineName,
        transcribeNow: this.foreground
          ? (path) => transcribeNow(this.services, this.foreground as ForegroundTranscriber, path)
          : null,
      },
      { host: config.host, port: () => port },
    );
    await this.server.listen({ host: config.host, port: config.port });
    port = (this.server.server.address() as AddressInfo).port;
    const shownHost = ['127.0.0.1', '0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
    this.url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    this.lock.setUrl(this.url);
  }

  private async startWatching(options: StartOptions): Promise<void> {
    const { queue, scanner, clock, config, log } = this.services;
    this.changes = new ChangeWatcher(queue, async () => {
      await queue.syncExternalChanges();
      this.worker?.wake();
    });
    await this.changes.start();
    const first = await scanner.scan();
    options.onScan?.(first);
    log(
      `scanned ${config.notesDir}: ${first.audioFiles} audio file(s), ${first.queued} new in the queue` +
        (first.adopted ? `, ${first.adopted} transcript(s) adopted` : ''),
    );
    if (options.watch !== false) {
      this.watcher = new FolderWatcher(config.notesDir, scanner, clock, {
        log,
        ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
        ...(options.onScan ? { onScan: options.onScan } : {}),
      });
      this.watcher.start();
      if (first.unsettled > 0) this.watcher.rescanAfterSettling();
    }
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
    this.watcher?.stop();
    this.changes?.stop();
    this.events?.close();
    await this.server?.close();
    await this.worker?.stop();
    await this.engine?.dispose();
    await this.services.close();
    this.lock.release();
  }
}
