import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { ChangeWatcher } from '../../src/app/changeWatcher.js';
import { InstanceLock } from '../../src/app/instanceLock.js';
import { systemClock } from '../../src/core/clock.js';
import { createBus } from '../../src/core/events.js';
import { RecordingStateHolder } from '../../src/core/recordingState.js';
import { PostgresStore } from '../../src/db/postgres/postgresStore.js';
import { NotesFolder } from '../../src/files/notesFolder.js';
import { FolderWatcher } from '../../src/files/watcher.js';
import { QueueManager } from '../../src/queue/queueManager.js';
import { OrphanScanner, type ScanResult } from '../../src/queue/scanner.js';
import { Worker } from '../../src/queue/worker.js';
import { resolveConfig } from '../../src/services/config.js';
import { selectEngine } from '../../src/services/engines.js';
import { createLogger } from '../../src/services/log.js';
import { tidyAfterCrash } from '../../src/services/recovery.js';
import type { HarkServices } from '../../src/services/services.js';

/**
 * STAND-IN for `hark start --store URL` and `hark worker --store URL --notes DIR` (issue 10,
 * the nodes lane), until those land: the multi-node soak runs these nodes through
 * tests/soak/nodeCommand.ts, which switches to the real commands in one line. It composes the
 * same parts from the same layers, on the PostgreSQL store:
 * - `--role main`: recovery at start (today's: every task left processing goes back; leases
 *   replace that with reclaim of expired ones), a scan, the folder watcher and a worker;
 * - `--role worker`: a worker only (no server, scan or watcher).
 * Both take the instance lock of their own data folder and mark it ready once running, as
 * `hark start` does, so the soak waits for either the same way.
 *
 *   node --import tsx tests/soak/pgNode.ts --role main|worker --store URL --notes DIR --data DIR [--engine E]
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    store: { type: 'string' },
    notes: { type: 'string' },
    data: { type: 'string' },
    engine: { type: 'string', default: 'pocketsphinx' },
  },
});
const role = values.role;
if ((role !== 'main' && role !== 'worker') || !values.store || !values.notes || !values.data) {
  console.error('usage: pgNode.ts --role main|worker --store URL --notes DIR --data DIR [--engine E]');
  process.exit(2);
}

const config = resolveConfig({ notes: values.notes, data: values.data, engine: values.engine });
const log = createLogger({});
const lock = InstanceLock.acquire(config.dataDir);
const store = await PostgresStore.open(values.store);
const clock = systemClock;
const events = createBus();
const queue = new QueueManager(store, clock, events, {
  maxRetries: config.maxRetries,
  progressWriteIntervalMs: 1_000,
});
const notes = new NotesFolder(config.notesDir);
const recording = new RecordingStateHolder(events);
const scanner = new OrphanScanner(notes, queue, clock, { log: log.child({ part: 'scanner' }) });
const services: HarkServices = {
  config,
  clock,
  events,
  queue,
  notes,
  recording,
  scanner,
  log,
  close: () => store.close(),
};
if (role === 'main') await tidyAfterCrash(services);

const selection = await selectEngine(config, log, { onHearing: (hearing) => queue.markEngineChild(hearing) });
const engine = selection.engine;
if (!engine) throw new Error(`no engine: ${selection.reason}`);
const startIso = new Date().toISOString();
const worker = new Worker({
  queue,
  events,
  engine,
  clock,
  recording,
  notes,
  // The node id of the brief's contract: host, pid, start time.
  workerId: `${hostname()}:${process.pid}:${startIso}`,
  preempt: config.preempt,
  writeSidecars: config.writeSidecars,
  sidecarFormat: config.sidecarFormat,
  log: log.child({ part: 'worker' }),
});
// Other nodes' commits (new tasks, completions) are seen through the store's data version.
const changes = new ChangeWatcher(store, async () => {
  await queue.syncExternalChanges();
  worker.wake();
});
await changes.start();
worker.start();
let watcher: FolderWatcher<ScanResult> | null = null;
if (role === 'main') {
  const first = await scanner.scan();
  log.info(`scanned: ${first.audioFiles} audio file(s), ${first.queued} new`);
  watcher = new FolderWatcher(config.notesDir, scanner, clock, { log: log.child({ part: 'watcher' }) });
  void watcher.start();
  if (first.unsettled > 0) watcher.rescanAfterSettling();
}
lock.markReady();
log.info(`${role} node ${process.pid} running on PostgreSQL`);

const keepAlive = setInterval(() => {}, 1 << 30);
const stop = async () => {
  await watcher?.stop();
  changes.stop();
  await worker.stop();
  await store.close();
  lock.release();
  clearInterval(keepAlive);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
