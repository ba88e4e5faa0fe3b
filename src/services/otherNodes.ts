import { hostname } from 'node:os';
import { toHarkError } from '../core/errors.js';
import { abandonedTaskRecovery, heartbeatIntervalMs } from '../core/leases.js';
import {
  effectivePreemptScope,
  encodeSharedRecording,
  type NodeIdentity,
  PREEMPT_SCOPE_KEY,
  parseSharedRecording,
  RECORDING_KEY,
  sharedRecordingFor,
  yieldsToRecording,
} from '../core/preemption.js';
import type { StoreChange } from '../core/store.js';
import type { RecordingState } from '../core/types.js';
import { LeaseReclaimer } from '../queue/leaseKeeper.js';
import type { HarkConfig } from './config.js';
import type { HarkServices } from './services.js';

/** What OtherNodes uses of the services: a worker node without a server or scanner has these too. */
export type NodeServices = Pick<HarkServices, 'queue' | 'events' | 'clock' | 'recording' | 'log'> & {
  config: Pick<HarkConfig, 'preempt' | 'preemptScope'>;
};

export interface OtherNodesOptions {
  /** This node's worker id (`${hostname}:${pid}:${startIso}`): the recording node's is written with its state. */
  nodeId: string;
  host?: string;
  /** This node records (the main node, with the web app): its recording state is shared with the others. */
  sharesRecording: boolean;
  /** Called after each change another node made was brought in (the worker's wake-up, a refresh). */
  onChange?: () => void;
}

/**
 * What a node on a shared PostgreSQL database does about the others, store-agnostic above the
 * store's change feed: every commit any node makes reaches this process within milliseconds
 * (LISTEN/NOTIFY), is brought in line (syncExternalChanges: a cancel, a pause, a lost lease)
 * and told on the bus, so the worker wakes and the live stream refreshes; lapsed leases are
 * reclaimed every half lease; the recording state is shared, and a recording on another node
 * within the pre-emption scope stops this node's background work until it ends. One line is
 * logged when the database goes away and one when it is back.
 */
export class OtherNodes {
  private readonly self: NodeIdentity;
  private readonly reclaimer: LeaseReclaimer;
  private readonly offs: (() => void)[] = [];
  private yielding = false;
  /** While recording: the next renewal of the shared record. While yielding: the look at its expiry. */
  private cancelRenewal: (() => void) | null = null;
  private cancelExpiryCheck: (() => void) | null = null;
  private syncing: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly services: NodeServices,
    private readonly options: OtherNodesOptions,
  ) {
    this.self = { node: options.nodeId, host: options.host ?? hostname() };
    const log = services.log.child({ part: 'nodes' });
    this.reclaimer = new LeaseReclaimer(services.queue, services.clock, log);
  }

  /** Whether this node is on a store shared with other nodes (PostgreSQL): otherwise start() does nothing. */
  get shared(): boolean {
    return abandonedTaskRecovery(this.services.queue.storeKind) === 'lapsed-leases';
  }

  /** For the worker (WorkerDeps.reclaimer): looks for lapsed leases before it sleeps. Null on SQLite. */
  get leaseReclaimer(): LeaseReclaimer | null {
    return this.shared ? this.reclaimer : null;
  }

  /** For the worker (WorkerDeps.mayRun): false while a recording elsewhere in scope has the machine. */
  mayRun(): boolean {
    return !this.yielding;
  }

  async start(): Promise<void> {
    if (!this.shared) return;
    const { queue, events } = this.services;
    const changes = queue.storeChanges();
    if (changes) this.offs.push(changes.on((change) => this.onStoreChange(change)));
    if (this.options.sharesRecording) {
      this.offs.push(events.on('recording-changed', ({ to }) => void this.shareRecording(to)));
      // A recording node that died while recording left its state behind: say where it is now.
      await this.shareRecording(this.services.recording.get());
    }
    await this.sync();
    this.reclaimer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRenewal?.();
    this.cancelExpiryCheck?.();
    this.reclaimer.stop();
    for (const off of this.offs.splice(0)) off();
    await this.syncing;
  }

  /**
   * Writes this node's recording state for the others; a busy state is renewed every quarter
   * lease, so that it lapses (and frees the other nodes) one lease after this node dies.
   */
  private async shareRecording(state: RecordingState): Promise<void> {
    const { queue, clock } = this.services;
    this.cancelRenewal?.();
    this.cancelRenewal = null;
    if (this.stopped) return;
    await queue
      .setSetting(
        RECORDING_KEY,
        encodeSharedRecording(sharedRecordingFor(state, this.self, clock.now(), queue.leaseMs)),
      )
      .catch((error: unknown) =>
        this.log.warn(`could not share the recording state: ${toHarkError(error).message}`),
      );
    if (state !== 'Idle' && !this.stopped && this.services.recording.get() === state)
      this.cancelRenewal = clock.setTimer(heartbeatIntervalMs(queue.leaseMs), () => {
        void this.shareRecording(this.services.recording.get());
      });
  }

  /** While yielding to a record that lapses: look again when it does (no change may come if its node died). */
  private watchExpiry(expiresAt: number | null): void {
    this.cancelExpiryCheck?.();
    this.cancelExpiryCheck = null;
    if (expiresAt === null || this.stopped) return;
    const { clock } = this.services;
    this.cancelExpiryCheck = clock.setTimer(Math.max(0, expiresAt - clock.now()) + 1, () => void this.sync());
  }

  private get log() {
    return this.services.log.child({ part: 'nodes' });
  }

  private onStoreChange(change: StoreChange): void {
    if (change.kind === 'connection') {
      if (change.up) this.log.info('the database is back: carrying on');
      else
        this.log.warn(
          `lost the database (${change.reason ?? 'connection closed'}); waiting for it, nothing is lost meanwhile`,
        );
      return;
    }
    void this.sync();
  }

  /** Brings in what other nodes changed; a burst of notifications is read as one (one pass, then one more). */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        await this.syncOnce().catch(() => {}); // the database away: the reconnect tells again
      } while (this.again && !this.stopped);
      this.syncing = null;
    })();
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const { queue } = this.services;
    const [shared, savedScope] = await Promise.all([
      queue.getSetting(RECORDING_KEY),
      queue.getSetting(PREEMPT_SCOPE_KEY),
    ]);
    const scope = effectivePreemptScope(this.services.config.preemptScope, savedScope);
    const recording = parseSharedRecording(shared);
    const yielding = yieldsToRecording(recording, this.self, scope, this.services.clock.now());
    this.watchExpiry(yielding ? (recording?.expiresAt ?? null) : null);
    if (yielding && !this.yielding && this.services.config.preempt === 'always')
      queue.abortActive({ kind: 'preempted', by: `a recording on ${recording?.host ?? 'another node'}` });
    this.yielding = yielding;
    await queue.syncExternalChanges();
    this.options.onChange?.();
  }
}
