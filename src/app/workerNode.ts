import { hostname } from 'node:os';
import type { TranscriptionEngine } from '../core/engine.js';
import { BadRequest, HarkError } from '../core/errors.js';
import { nodeId } from '../core/nodeId.js';
import { Worker } from '../queue/worker.js';
import type { HarkConfig } from '../services/config.js';
import { selectEngine } from '../services/engines.js';
import type { Log } from '../services/log.js';
import { startKeepAwake } from '../services/machineRules.js';
import { OtherNodes } from '../services/otherNodes.js';
import { type HarkServices, openServices } from '../services/services.js';
import { InstanceLock } from './instanceLock.js';

export interface WorkerNodeOptions {
  log: Log;
  /** Use this engine instead of choosing one from the configuration (tests). */
  engine?: TranscriptionEngine;
  /** With --engine auto and no model, download the default one first. */
  pullModel?: boolean;
  onPullProgress?: (bytes: number, total: number) => void;
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
  ) {}

  static async start(config: HarkConfig, options: WorkerNodeOptions): Promise<WorkerNode> {
    if (config.store.kind !== 'postgres') throw new BadRequest(WORKER_NEEDS_POSTGRES);
    const lock = InstanceLock.acquire(config.dataDir);
    let services: HarkServices | null = null;
    let engine: TranscriptionEngine | null = null;
    try {
      services = await openServices(config, { log: options.log });
      const { log, queue, events, clock, recording, notes } = services;
      const selection = options.engine
        ? { engine: options.engine, reason: 'given' }
        : await selectEngine(config, log, {
            pullIfMissing: options.pullModel ?? false,
            onHearing: (hearing) => queue.markEngineChild(hearing),
            ...(options.onPullProgress ? { onPullProgress: options.onPullProgress } : {}),
          });
      engine = selection.engine;
      // The queue's pause is everyone's: a worker without an engine says so and stops, it never pauses the others.
      if (!engine) throw new HarkError('engine_unavailable', `No transcription engine: ${selection.reason}`);
      log.info(`transcribing with ${engine.name}: ${selection.reason}`);
      const id = nodeId(hostname(), process.pid, clock.now());
      // Other nodes' changes (LISTEN/NOTIFY), lapsed leases, and the main node's recordings.
      const others = new OtherNodes(services, { nodeId: id, sharesRecording: false });
      const worker = new Worker({
        queue,
        events,
        engine,
        clock,
        recording,
        notes,
        workerId: id,
        leaveMissingFiles: true,
        mayRun: () => others.mayRun(),
        ...(others.leaseReclaimer ? { reclaimer: others.leaseReclaimer } : {}),
        preempt: config.preempt,
        parallel: config.parallel,
        writeSidecars: config.writeSidecars,
        sidecarFormat: config.sidecarFormat,
        log: log.child({ part: 'worker' }),
      });
      await others.start();
      worker.start();
      lock.markReady();
      const node = new WorkerNode(services, worker, engine, id, others, lock);
      node.releaseWake = startKeepAwake(services, { id, nextIdle: () => worker.nextIdle() });
      return node;
    } catch (error) {
      await engine?.dispose();
      await services?.close();
      lock.release();
      throw error;
    }
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
    await this.services.close();
    this.lock.release();
  }
}
