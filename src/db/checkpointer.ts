import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code, plain CommonJS so that it runs the same from the sources
 * (tsx), from dist/ and under the test runner, none of which need a loader for it.
 * A PASSIVE checkpoint never waits for the writer and never blocks it; one that
 * finds the database busy or the disk full is simply tried again next time.
 */
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma('wal_autocheckpoint = 0');
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Copies the WAL back into the database file from a thread of its own, every
 * `intervalMs`. Without it the connection that commits does it (SQLite's
 * auto-checkpoint), and every few thousand claims one of them pays for copying
 * and syncing thousands of pages on the event loop: the long-running app's
 * write rate went from about 4,500 to 6,900 claim+complete pairs a second
 * when that work moved here (BENCHMARKS.md). The committing connection keeps a
 * high auto-checkpoint as a backstop, should this thread ever fall behind.
 */
export class BackgroundCheckpointer {
  private stopped: Promise<void> | null = null;

  private constructor(private readonly worker: Worker) {}

  static start(file: string, intervalMs = 250): BackgroundCheckpointer {
    const worker = new Worker(THREAD_CODE, { eval: true, workerData: { file, driver, intervalMs } });
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
