import type { Clock } from '../../src/core/clock.js';
import { systemClock } from '../../src/core/clock.js';
import { createBus, type HarkBus } from '../../src/core/events.js';
import type { Log } from '../../src/core/log.js';
import type { PreemptScope } from '../../src/core/preemption.js';
import { RecordingStateHolder } from '../../src/core/recordingState.js';
import { PostgresStore } from '../../src/db/postgres/postgresStore.js';
import { NotesFolder } from '../../src/files/notesFolder.js';
import { QueueManager } from '../../src/queue/queueManager.js';
import { Worker } from '../../src/queue/worker.js';
import { OtherNodes } from '../../src/services/otherNodes.js';
import { FakeEngine } from '../../src/transcription/fakeEngine.js';
import { captureLog } from './captureLog.js';

export interface PgNodeOptions {
  id: string;
  host?: string;
  leaseMs?: number;
  /** The fake engine's time per 30 s window. */
  msPerChunk?: number;
  /** The main node shares its recording state. */
  sharesRecording?: boolean;
  preemptScope?: PreemptScope | null;
  clock?: Clock;
}

/**
 * One worker node on a PostgreSQL database, in this process, built as a `hark worker` is: its
 * own store (pool and change feed), queue, worker with the fake engine, and OtherNodes. Every
 * completion this node got committed (complete() returned true) is in `completions`.
 */
export interface PgNode {
  id: string;
  store: PostgresStore;
  queue: QueueManager;
  events: HarkBus;
  recording: RecordingStateHolder;
  worker: Worker;
  others: OtherNodes;
  completions: number[];
  lines: string[];
  log: Log;
  stop(): Promise<void>;
}

export async function startPgNode(url: string, notesDir: string, options: PgNodeOptions): Promise<PgNode> {
  const clock = options.clock ?? systemClock;
  const { log, lines } = captureLog();
  const store = await PostgresStore.open(url, {
    applicationName: `hark ${options.id}`,
    changeFeed: { fallbackPollMs: 500, applicationName: `hark-listen ${options.id}` },
  });
  const events = createBus();
  const queue = new QueueManager(store, clock, events, {
    maxRetries: 2,
    progressWriteIntervalMs: 200,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
  const completions: number[] = [];
  const complete = queue.complete.bind(queue);
  queue.complete = async (input, afterCommit) => {
    const done = await complete(input, afterCommit);
    if (done) completions.push(input.taskId);
    return done;
  };
  const recording = new RecordingStateHolder(events);
  const others = new OtherNodes(
    {
      queue,
      events,
      clock,
      recording,
      log,
      config: { preempt: 'always', preemptScope: options.preemptScope ?? null },
    },
    {
      nodeId: options.id,
      sharesRecording: options.sharesRecording ?? false,
      ...(options.host ? { host: options.host } : {}),
    },
  );
  const worker = new Worker({
    queue,
    events,
    engine: new FakeEngine({ msPerChunk: options.msPerChunk ?? 5 }),
    clock,
    recording,
    notes: new NotesFolder(notesDir),
    workerId: options.id,
    writeSidecars: false,
    mayRun: () => others.mayRun(),
    ...(others.leaseReclaimer ? { reclaimer: others.leaseReclaimer } : {}),
    log,
  });
  await others.start();
  worker.start();
  return {
    id: options.id,
    store,
    queue,
    events,
    recording,
    worker,
    others,
    completions,
    lines,
    log,
    stop: async () => {
      await worker.stop();
      await others.stop();
      await store.close();
    },
  };
}
