import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code, plain CommonJS so that it runs the same from the sources
 * (tsx), from dist/ and under the test runner, none of which need a loader for it.
 * A PASSIVE checkpoint never waits for the writer and never blocks it; one that
 * finds the database busy or the disk full is simply tried again next time.
 * While commits keep coming the thread checkpoints every `intervalMs`; once an
 * interval passes with none (its connection's data_version unchanged), it
 * sleeps on a watch of the data folder until the WAL is written to again, so an
 * idle app's thread wakes only for the slow fallback (for file systems whose
 * watches report nothing). Where the folder cannot be watched at all, it
 * checkpoints every `intervalMs` as before.
 */
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { watch } = require('node:fs');
const { basename, dirname } = require('node:path');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma('wal_autocheckpoint = 0');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
};
// data_version changes when another connection commits: it tells a busy database from a quiet one.
const version = () => {
  try {
    return db.pragma('data_version', { simple: true });
  } catch {
    return -1;
  }
};
const wal = basename(workerData.file) + '-wal';
let watcher = null;
let busy = null;
let fallback = null;
let seen = version();
// Busy: a checkpoint every intervalMs while commits keep coming (a watch would wake the thread
// for every write of the WAL, thousands a second, and take the CPU the writer needs).
const goBusy = () => {
  if (watcher) {
    watcher.close();
    watcher = null;
  }
  if (busy !== null) return;
  busy = setInterval(() => {
    checkpoint();
    const now = version();
    if (now === seen) goIdle();
    seen = now;
  }, workerData.intervalMs);
};
// Quiet: sleep on one watch of the data folder until the WAL is written to again.
const goIdle = () => {
  clearInterval(busy);
  busy = null;
  try {
    watcher = watch(dirname(workerData.file), { persistent: false }, (_event, name) => {
      if (name === null || String(name) === wal) goBusy();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
      goBusy();
    });
  } catch {
    // The folder cannot be watched: stay busy, checkpointing every intervalMs as before.
    goBusy();
  }
};
// The slow fallback for file systems whose watches report nothing.
fallback = setInterval(() => {
  if (busy === null && version() !== seen) goBusy();
}, workerData.fallbackMs);
goBusy(); // for what was written before the thread started
parentPort.on('message', () => {
  clearInterval(busy);
  clearInterval(fallback);
  if (watcher) watcher.close();
  db.close();
  parentPort.close();
});
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

export interface CheckpointerOptions {
  /** After a write, checkpoint this much later (at most once per this interval; default 250 ms). */
  intervalMs?: number;
  /** Checkpoint this often even if no write was reported (default 5 s). */
  fallbackMs?: number;
}

/**
 * Copies the WAL back into the database file from a thread of its own, at
 * most every `intervalMs` while there are writes. Without it the connection that commits does it (SQLite's
 * auto-checkpoint), and every few thousand claims one of them pays for copying
 * and syncing thousands of pages on the event loop: the long-running app's
 * write rate went from about 4,500 to 6,900 claim+complete pairs a second
 * when that work moved here (BENCHMARKS.md). The committing connection keeps a
 * high auto-checkpoint as a backstop, should this thread ever fall behind.
 */
export class BackgroundCheckpointer {
  private stopped: Promise<void> | null = null;

  private constructor(private readonly worker: Worker) {}

  static start(file: string, options: CheckpointerOptions = {}): BackgroundCheckpointer {
    const workerData = {
      file,
      driver,
      intervalMs: options.intervalMs ?? 250,
      fallbackMs: options.fallbackMs ?? 5_000,
    };
    const worker = new Worker(THREAD_CODE, { eval: true, workerData });
    // A thread that cannot start (the database gone) leaves the backstop to do the work.
    worker.on('error', () => {});
    worker.unref();
    return new BackgroundCheckpointer(worker);
  }

  /** Closes the thread's connection and waits for the thread to end. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.ref(); // until it has ended: close() must not return before
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}
