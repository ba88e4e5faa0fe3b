import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { TranscriptionEngine } from '../core/engine.js';
import { lanAddresses } from '../core/lan.js';
import { nodeId } from '../core/nodeId.js';
import { FolderWatcher } from '../files/watcher.js';
import { catalogModel } from '../models/catalog.js';
import { ForegroundTranscriber } from '../queue/foreground.js';
import type { ScanResult } from '../queue/scanner.js';
import { Worker } from '../queue/worker.js';
import { buildServer } from '../server/app.js';
import type { Control } from '../server/context.js';
import { AudioLengths } from '../services/audioLengths.js';
import { AccessControl } from '../services/auth/accessControl.js';
import type { HarkConfig } from '../services/config.js';
import { EngineGate } from '../services/engineGate.js';
import { syncEnginePause } from '../services/enginePause.js';
import { lanCertificate } from '../services/lanCertificate.js';
import type { Log } from '../services/log.js';
import { type MachineRules, startMachineRules } from '../services/machineRules.js';
import { purgeTrash } from '../services/notes.js';
import { OtherNodes } from '../services/otherNodes.js';
import { RecordingFlow } from '../services/recordingFlow.js';
import { tidyAfterCrash } from '../services/recovery.js';
import { Retention } from '../services/retention.js';
import { type HarkServices, openServices } from '../services/services.js';
import type { SettingsService } from '../services/settings.js';
import { transcribeNow } from '../services/transcribeNow.js';
import { fakeAudioLength } from '../transcription/fakeEngine.js';
import { ChangeWatcher } from './changeWatcher.js';
import { openEngineControl, reloadSettings } from './engineControl.js';
import { InstanceLock } from './instanceLock.js';
import { LanListener, lanHosts } from './lanListener.js';
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
  /** Ask every API request for a credential (default true; `hark start --no-auth` turns it off). */
  auth?: boolean;
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
  private machine: MachineRules | null = null;
  /** Measures pending audio before its turn, for the lengths in the list and the total time left. */
  private lengths: AudioLengths | null = null;
  /** With --lan: the HTTPS listener on the network addresses. */
  lan: LanListener | null = null;
  private access: AccessControl | null = null;
  private stopped = false;
  url: string | null = null;

  private constructor(
    readonly services: HarkServices,
    readonly worker: Worker | null,
    readonly engine: TranscriptionEngine | null,
    readonly recordings: RecordingFlow,
    readonly foreground: ForegroundTranscriber | null,
    private readonly lock: InstanceLock,
    private readonly others: OtherNodes,
    /** The settings, the models and the engines they choose; null when a test gave the engine. */
    readonly control: Control | null = null,
  ) {}

  static async start(config: HarkConfig, options: StartOptions): Promise<HarkApp> {
    const lock = InstanceLock.acquire(config.dataDir);
    let services: HarkServices | null = null;
    let app: HarkApp | null = null;
    try {
      const inFlight = new Set<string>();
      services = await openServices(config, {
        log: options.log,
        backgroundCheckpoints: options.backgroundCheckpoints ?? true,
        scanner: {
          exclude: () => inFlight,
          ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
        },
      });
      const { log } = services;
      await tidyAfterCrash(services);
      // A taken port is said in one line now, not after minutes of model download.
      if (options.serve) await assertPortFree(config.host, config.port);

      const control = options.engine === undefined ? await HarkApp.openControl(services, options) : null;
      const selection = control
        ? { engine: control.hub.background, reason: control.hub.status('background').reason }
        : { engine: options.engine ?? null, reason: options.engine ? 'given' : 'none given' };
      const engine = selection.engine;
      // While the hub waits for a model its engine is a stand-in ("none"): the gate's own line says why.
      const waiting = control?.hub.status('background').kind === 'none';
      if (engine && !waiting) log.info(`transcribing with ${engine.name}: ${selection.reason}`);
      const foregroundEngine = control ? control.hub.foreground : engine;
      const workerId = nodeId(hostname(), process.pid, services.clock.now());
      // On PostgreSQL: other nodes' changes, lapsed leases, the shared recording state.
      const opened = services;
      const others = new OtherNodes(services, {
        nodeId: workerId,
        sharesRecording: true,
        // Another node's Settings page (or `hark settings set`) applies here too, live.
        onChange: () => void reloadSettings(opened, control?.settings ?? null),
      });
      const worker = engine
        ? HarkApp.makeWorker(services, engine, workerId, others, control?.settings ?? null)
        : null;
      const live = control?.settings ?? null;
      const foreground = foregroundEngine
        ? new ForegroundTranscriber({
            ...services,
            engine: foregroundEngine,
            worker,
            writeSidecars: config.writeSidecars,
            get sidecarFormat() {
              return live ? live.values().sidecar_format : config.sidecarFormat;
            },
            log: log.child({ part: 'foreground' }),
          })
        : null;
      const recordings = new RecordingFlow(services, foreground, foregroundEngine, inFlight);
      await recordings.recoverAfterCrash();
      if (control) {
        await control.gate.start();
        control.retention.start();
      } else await syncEnginePause(services, engine !== null, selection.reason);

      app = new HarkApp(services, worker, engine, recordings, foreground, lock, others, control);
      if (options.serve) await app.serve(engine?.name ?? null, options.auth ?? true);
      worker?.start();
      app.lengths = new AudioLengths(services, engine?.name === 'fake' ? fakeAudioLength : undefined);
      app.lengths.start();
      app.machine = await startMachineRules(
        services,
        worker ? { id: workerId, nextIdle: () => worker.nextIdle() } : null,
        control?.settings ?? null,
      );
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

  /**
   * The settings (saved, overruled by flags), the model manager and the engine
   * hub they choose engines with. With no model and --engine auto, the default
   * model downloads in the background: the page is served at once, and the
   * queue waits for the model (the gate), starting once it is verified.
   */
  private static async openControl(services: HarkServices, options: StartOptions): Promise<Control> {
    const { log } = services;
    let announced = false;
    const { catalog, settings, models, hub } = await openEngineControl(services, {
      onProgress: (name, bytes, total) => {
        if (!announced)
          log.warn(
            `no whisper model yet: downloading ${name} in the background (once); the page is ready meanwhile`,
          );
        announced = true;
        options.onPullProgress?.(bytes, total);
      },
      failed: (name, error) =>
        `could not download the ${name} model: ${error}; retry on the Settings page or with \`hark models pull ${name}\``,
    });
    const values = settings.values();
    const wanted = values.model_background;
    if (
      options.pullModel &&
      values.engine === 'auto' &&
      hub.status('background').kind !== 'whisper' &&
      catalogModel(wanted, catalog)
    ) {
      models.download(wanted);
      hub.refresh();
    }
    return {
      settings,
      models,
      hub,
      gate: new EngineGate(services, hub),
      retention: new Retention(services, settings),
    };
  }

  private static makeWorker(
    services: HarkServices,
    engine: TranscriptionEngine,
    workerId: string,
    others: OtherNodes,
    settings: SettingsService | null,
  ): Worker {
    const { queue, events, clock, recording, notes, config, log } = services;
    return new Worker({
      queue,
      events,
      engine,
      clock,
      recording,
      notes,
      workerId,
      leaveMissingFiles: services.shared,
      // Read at each use, so a change on the Settings page applies to the next task without a restart.
      get preempt() {
        return settings ? settings.values().preempt : config.preempt;
      },
      get parallel() {
        return settings ? settings.values().parallel : config.parallel;
      },
      mayRun: () => others.mayRun(),
      ...(others.leaseReclaimer ? { reclaimer: others.leaseReclaimer } : {}),
      writeSidecars: config.writeSidecars,
      get sidecarFormat() {
        return settings ? settings.values().sidecar_format : config.sidecarFormat;
      },
      log: log.child({ part: 'worker' }),
    });
  }

  /** Starts the web server (which feeds every open page: server/live.ts). */
  private async serve(engineName: string | null, auth: boolean): Promise<void> {
    const { config, log } = this.services;
    let port = config.port;
    this.access = auth ? AccessControl.open(config.dataDir, this.services.clock) : null;
    const addresses = config.lan ? lanAddresses(networkInterfaces(), config.lanAddress) : [];
    if (config.lan && addresses.length === 0)
      log.warn('--lan: this machine has no network address to listen on');
    const certificate = config.lan ? await lanCertificate(config.dataDir, addresses, hostname()) : null;
    if (certificate?.made)
      log.info(`made a certificate for ${certificate.names.join(', ')} (kept in the data folder)`);
    this.server = await buildServer(
      {
        services: this.services,
        recordings: this.recordings,
        uploadLimitBytes: config.uploadLimitBytes,
        engineName,
        control: this.control,
        access: this.access,
        transcribeNow: this.foreground
          ? (path) => transcribeNow(this.services, this.foreground as ForegroundTranscriber, path)
          : null,
        lan: certificate
          ? { fingerprint: certificate.fingerprint, urls: () => this.lan?.urls() ?? [] }
          : null,
      },
      {
        host: config.host,
        port: () => port,
        lanHosts: () => lanHosts(addresses, port),
        // A phone pairs over the LAN listener, whose certificate it is shown to compare.
        ...(certificate
          ? {
              pairingTargets: () => ({
                origins: this.lan?.urls() ?? [],
                fingerprint: certificate.fingerprint,
              }),
            }
          : {}),
      },
    );
    await this.server.listen({ host: config.host, port: config.port }).catch((error: unknown) => {
      throw portProblem(error, config.port) ?? error;
    });
    port = (this.server.server.address() as AddressInfo).port;
    // The same port on the LAN addresses (a different address, so no clash with loopback).
    if (certificate) this.lan = await LanListener.listen(this.server, certificate, addresses, port);
    const shownHost = ['127.0.0.1', '0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
    this.url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    this.lock.setUrl(this.url);
  }

  private async startWatching(options: StartOptions): Promise<void> {
    const { scanner, clock, config, log } = this.services;
    if (this.others.shared) {
      // PostgreSQL tells every node's commits as they happen (LISTEN/NOTIFY): nothing to poll.
      await this.others.start();
    } else {
      this.changes = watchOtherProcesses(this.services, this.worker, () =>
        reloadSettings(this.services, this.control?.settings ?? null),
      );
      await this.changes.start();
    }
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

  /**
   * The address to open in a browser: with a fresh one-time login code
   * (valid 10 minutes), unless Hark runs with --no-auth. Null when not serving.
   */
  loginUrl(): string | null {
    if (!this.url) return null;
    if (!this.access) return `${this.url}/`;
    return `${this.url}/?code=${this.access.issueCode('login').code}`;
  }

  /** Who may use the API; null with --no-auth or when not serving. */
  get accessControl(): AccessControl | null {
    return this.access;
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

  /**
   * Waits for the model downloads under way (the first start's) and for the
   * queue's gate to follow (`--exit-when-idle` transcribes with the model rather than exit paused).
   */
  async modelDownloadsSettled(): Promise<void> {
    if (!this.control) return;
    await this.control.models.settledAll();
    this.control.hub.refresh();
    await this.control.gate.sync();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelPurge?.();
    await this.watcher?.stop();
    this.changes?.stop();
    await this.others.stop();
    await this.server?.close();
    this.machine?.stop();
    await this.lengths?.stop();
    this.access?.flush();
    await this.lan?.close();
    await this.control?.models.stop();
    this.control?.gate.stop();
    this.control?.retention.stop();
    await this.worker?.stop();
    await this.engine?.dispose();
    await this.control?.hub.dispose();
    await this.services.close();
    this.lock.release();
  }
}

/**
 * Notices other processes' commits (a CLI command, another node) and brings this one in line.
 * SQLite says so through its WAL file; a PostgreSQL store is polled (LISTEN/NOTIFY is the
 * leases lane's), once a quarter second: a worker node picks up new work within that.
 */
export function watchOtherProcesses(
  services: HarkServices,
  worker: Worker | null,
  /** More to bring in line (the saved settings, re-read). */
  also: () => Promise<void> = async () => {},
): ChangeWatcher {
  const { queue, config } = services;
  return new ChangeWatcher(
    queue,
    async () => {
      await queue.syncExternalChanges();
      await also();
      worker?.wake();
    },
    config.store.kind === 'sqlite' ? { databaseFile: config.dbPath } : { pollMs: 250 },
  );
}
