import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code, plain CommonJS so that it runs the same from the sources
 * (tsx), from dist/ and under the test runner, none of which need a loader for it.
 * A PASSIVE checkpoint never waits for the writer and never blocks it; one that
 * finds the database busy or the disk full is simply tried again next time.
 * The thread sleeps until the WAL is written to (a watch on the data folder,
 * which every commit of every connection triggers), then checkpoints after
 * `intervalMs`; an idle app's thread wakes only for the slow fallback, which
 * covers file systems whose watches report nothing. Where the folder cannot be
 * watched at all, it checkpoints every `intervalMs` as before.
 */
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { watch } = require('node:fs');
const { basename, dirname } = require('node:path');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma('wal_autocheckpoint = 0');
let timer = null;
const tick = () => {
  timer = null;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
};
// At most one checkpoint per interval, and only once the WAL has been written to.
const soon = () => {
  if (timer === null) timer = setTimeout(tick, workerData.intervalMs);
};
let fallback = null;
const pollEvery = (ms) => {
  clearInterval(fallback);
  fallback = setInterval(soon, ms);
};
const wal = basename(workerData.file) + '-wal';
let watcher = null;
try {
  watcher = watch(dirname(workerData.file), { persistent: false }, (_event, name) => {
    if (name === null || String(name) === wal) soon();
  });
  watcher.on('error', () => {
    watcher.close();
    watcher = null;
    pollEvery(workerData.intervalMs);
  });
} catch {}
pollEvery(watcher ? workerData.fallbackMs : workerData.intervalMs);
soon(); // for what was written before the watch was in place
parentPort.on('message', () => {
  clearTimeout(timer);
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
