import { hostname } from 'node:os';
import type { TranscriptionEngine } from '../core/engine.js';
import { BadRequest, HarkError } from '../core/errors.js';
import { nodeId } from '../core/nodeId.js';
import { catalogModel } from '../models/catalog.js';
import type { ModelManager } from '../models/manager.js';
import { Worker } from '../queue/worker.js';
import type { HarkConfig } from '../services/config.js';
import type { EngineHub } from '../services/engineHub.js';
import type { Log } from '../services/log.js';
import { startKeepAwake } from '../services/machineRules.js';
import { OtherNodes } from '../services/otherNodes.js';
import { type HarkServices, openServices } from '../services/services.js';
import type { SettingsService } from '../services/settings.js';
import { openEngineControl, reloadSettings } from './engineControl.js';
import { InstanceLock } from './instanceLock.js';

export interface WorkerNodeOptions {
  log: Log;
  /** Use this engine instead of choosing one from the configuration (tests). */
  engine?: TranscriptionEngine;
  /** With --engine auto and no model, download the default one first. */
  pullModel?: boolean;
  onPullProgress?: (bytes: number, total: number) => void;
}

/** What a worker node chooses its engine with: the shared settings, its models, and the hub. */
export interface WorkerControl {
  settings: SettingsService;
  models: ModelManager;
  hub: EngineHub;
}

export const WORKER_NEEDS_POSTGRES =
  'hark worker needs a shared PostgreSQL store: give --store postgres://user@host/database ' +
  '(or HARK_DATABASE_URL), the same one the main node (hark start --store …) uses';

/**
 * `hark worker`: a node that only claims and transcribes, beside a main node (`hark start`) on
 * the same PostgreSQL store. No web server, no scan, no folder watcher, and no crash recovery
 * at start: the tasks left processing are other nodes' live work (a dead node's come back when
 * its lease expires). Its data folder is its own (the instance lock, the models); the notes
 * folder is its mount of the shared one, against which it resolves the paths in the queue.
 */
export class WorkerNode {
  private stopped = false;
  private releaseWake: () => void = () => {};

  private constructor(
    readonly services: HarkServices,
    readonly worker: Worker,
    readonly engine: TranscriptionEngine,
    readonly id: string,
    private readonly others: OtherNodes,
    private readonly lock: InstanceLock,
    /** The settings and the engines they choose; null when a test gave the engine. */
    readonly control: WorkerControl | null,
  ) {}

  static async start(config: HarkConfig, options: WorkerNodeOptions): Promise<WorkerNode> {
    if (config.store.kind !== 'postgres') throw new BadRequest(WORKER_NEEDS_POSTGRES);
    const lock = InstanceLock.acquire(config.dataDir);
    let services: HarkServices | null = null;
    let engine: TranscriptionEngine | null = null;
    let control: WorkerControl | null = null;
    try {
      services = await openServices(config, { log: options.log });
      const opened = services;
      const { log, queue, events, clock, recording, notes } = services;
      control = options.engine ? null : await WorkerNode.openControl(services, options);
      const hub = control?.hub ?? null;
      const choice = hub?.status('background') ?? null;
      engine = options.engine ?? hub?.background ?? null;
      // The queue's pause is everyone's: a worker without an engine says so and stops, it never pauses the others.
      if (!engine || choice?.kind === 'none')
        throw new HarkError(
          'engine_unavailable',
          `No transcription engine: ${choice?.reason ?? 'none given'}`,
        );
      log.info(`transcribing with ${engine.name}: ${choice?.reason ?? 'given'}`);
      const id = nodeId(hostname(), process.pid, clock.now());
      const settings = control?.settings ?? null;
      // Other nodes' changes (LISTEN/NOTIFY), lapsed leases, and the main node's recordings; the
      // settings saved elsewhere (the main node's Settings page, `hark settings set`) apply here too.
      const others = new OtherNodes(services, {
        nodeId: id,
        sharesRecording: false,
        onChange: () => void reloadSettings(opened, settings),
      });
      const worker = new Worker({
        queue,
        events,
        engine,
        clock,
        recording,
        notes,
        workerId: id,
        leaveMissingFiles: true,
        // A settings change that leaves no engine (a model not on this node) holds this node's claims only.
        mayRun: () => others.mayRun() && hub?.status('background').kind !== 'none',
        ...(others.leaseReclaimer ? { reclaimer: others.leaseReclaimer } : {}),
        // Read at each use, so a change saved on any node applies to the next task here.
        get preempt() {
          return settings ? settings.values().preempt : config.preempt;
        },
        get parallel() {
          return settings ? settings.values().parallel : config.parallel;
        },
        writeSidecars: config.writeSidecars,
        get sidecarFormat() {
          return settings ? settings.values().sidecar_format : config.sidecarFormat;
        },
        log: log.child({ part: 'worker' }),
      });
      await others.start();
      worker.start();
      lock.markReady();
      const node = new WorkerNode(services, worker, engine, id, others, lock, control);
      node.releaseWake = startKeepAwake(services, { id, nextIdle: () => worker.nextIdle() });
      return node;
    } catch (error) {
      await engine?.dispose();
      await control?.models.stop();
      await control?.hub.dispose();
      await services?.close();
      lock.release();
      throw error;
    }
  }

  /**
   * The settings in the shared store (flags and the environment over them) and the engine hub
   * they choose this node's engine with, as `hark start` has them. With --engine auto and no
   * model, the default model is downloaded first (this node has no page to wait on).
   */
  private static async openControl(
    services: HarkServices,
    options: WorkerNodeOptions,
  ): Promise<WorkerControl> {
    const { log } = services;
    const { catalog, settings, models, hub } = await openEngineControl(services, {
      onProgress: (_name, bytes, total) => options.onPullProgress?.(bytes, total),
      failed: (name, error) => `could not download the ${name} model: ${error}`,
    });
    const { engine, model_background: wanted } = settings.values();
    if (
      options.pullModel &&
      engine === 'auto' &&
      hub.status('background').kind !== 'whisper' &&
      catalogModel(wanted, catalog)
    ) {
      log.warn(`no whisper model yet: downloading ${wanted} (once)…`);
      models.download(wanted);
      await models.settled(wanted);
      hub.refresh();
    }
    return { settings, models, hub };
  }

  get queue() {
    return this.services.queue;
  }

  /** Gives the running task back (it resumes from its checkpoint, on any node) and closes the store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.others.stop();
    this.releaseWake();
    await this.worker.stop();
    await this.engine.dispose();
    await this.control?.models.stop();
    await this.control?.hub.dispose();
    await this.services.close();
    this.lock.release();
  }
}
