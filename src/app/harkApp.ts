import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { TranscriptionEngine } from '../core/engine.js';
import type { ScanResult } from '../queue/scanner.js';
import { FolderWatcher } from '../queue/watcher.js';
import { Worker } from '../queue/worker.js';
import { ChangeWatcher } from './changeWatcher.js';
import type { HarkConfig } from './config.js';
import { selectEngine } from './engines.js';
import { InstanceLock } from './instanceLock.js';
import type { Log } from './log.js';
import { type HarkServices, openServices } from './services.js';
import { writePendingSidecars } from './sidecars.js';

/** The system's own pause reason when there is nothing to transcribe with. */
export const NO_ENGINE_REASON = 'no transcription engine';

export interface StartOptions {
  log: Log;
  /** Watch the notes folder for new audio after the first scan. */
  watch?: boolean;
  /** Settle time for files still being written (tests shorten it). */
  settleMs?: number;
  /** Use this engine instead of choosing one from the configuration (tests). */
  engine?: TranscriptionEngine;
  onScan?: (result: ScanResult) => void;
}

/**
 * A running Hark: the single-instance lock, crash recovery, the worker, the
 * scanner and watcher. The order of start-up matters: recovery runs before the
 * worker can claim anything, and only in the process that holds the lock.
 */
export class HarkApp {
  private watcher: FolderWatcher | null = null;
  private changes: ChangeWatcher | null = null;
  private stopped = false;

  private constructor(
    readonly services: HarkServices,
    readonly worker: Worker | null,
    readonly engine: TranscriptionEngine | null,
    private readonly lock: InstanceLock,
  ) {}

  static async start(config: HarkConfig, options: StartOptions): Promise<HarkApp> {
    const lock = InstanceLock.acquire(config.dataDir);
    let services: HarkServices | null = null;
    try {
      services = openServices(config, {
        log: options.log,
        scanner: options.settleMs === undefined ? {} : { settleMs: options.settleMs },
      });
      const { queue, store, notes, log } = services;
      const recovered = await queue.recover();
      if (recovered.requeued + recovered.failed > 0) {
        log(
          `recovered after a crash: ${recovered.requeued} task(s) back in the queue, ${recovered.failed} failed`,
        );
      }
      await writePendingSidecars(store, notes, log);

      const selection = options.engine
        ? { engine: options.engine, reason: 'given' }
        : await selectEngine(config, log);
      const engine = selection.engine;
      const worker = engine ? HarkApp.makeWorker(services, engine) : null;
      await HarkApp.syncEnginePause(services, engine !== null, selection.reason);

      const app = new HarkApp(services, worker, engine, lock);
      worker?.start();
      await app.startWatching(options);
      return app;
    } catch (error) {
      await services?.close();
      lock.release();
      throw error;
    }
  }

  private static makeWorker(services: HarkServices, engine: TranscriptionEngine): Worker {
    const { queue, clock, recording, notes, config, log } = services;
    return new Worker({
      queue,
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
    const { queue, log } = services;
    const pause = await queue.getPause();
    if (!hasEngine) {
      log(
        `no transcription engine: ${reason}. The queue is paused; tasks wait until an engine is available.`,
      );
      if (!pause.paused) await queue.pause(NO_ENGINE_REASON);
    } else if (pause.paused && pause.reason === NO_ENGINE_REASON) {
      await queue.resume();
    }
  }

  private async startWatching(options: StartOptions): Promise<void> {
    const { queue, scanner, store, clock, config, log } = this.services;
    this.changes = new ChangeWatcher(store, async () => {
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

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.watcher?.stop();
    this.changes?.stop();
    await this.worker?.stop();
    await this.engine?.dispose();
    await this.services.close();
    this.lock.release();
  }
}
