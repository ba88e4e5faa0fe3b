import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a write waits for another process's transaction before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  readonly?: boolean;
  /**
   * A long-running writer (the app) checkpoints from a thread of its own
   * (BackgroundCheckpointer); this connection then checkpoints only as a backstop.
   */
  backgroundCheckpoints?: boolean;
}

/** Pages of WAL after which a committing connection checkpoints (16 MB; 100 MB as a backstop). */
const AUTO_CHECKPOINT_PAGES = 4_000;
const BACKSTOP_CHECKPOINT_PAGES = 25_000;

/**
 * Opens (creating if needed) a Hark database with the pragmas every
 * connection needs: WAL so readers never block the writer (the CLI reads while
 * the app writes), NORMAL sync (durable at each checkpoint, safe against
 * crashes of the process), a busy timeout so two processes queue up
 * instead of failing, and foreign keys on.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    timeout: options.busyTimeoutMs ?? 5_000,
  });
  // Takes effect only when the file is created (before WAL): each commit writes whole pages to
  // the WAL, and a claim or a completion dirties a dozen of them (the row, its indexes, the
  // counts), so 2 KB pages write half the bytes of the 4 KB default. Five alternating runs of
  // 20,000 claim+complete pairs: median 4,685/s with 4 KB pages, 5,313/s with 2 KB, 5,481/s with
  // 1 KB; 2 KB keeps a long transcript's text in fewer overflow pages.
  if (!options.readonly) db.pragma('page_size = 2048');
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // 32 MB of page cache (the default is 2 MB): the pages a queue of 100,000 tasks reads stay in memory.
  db.pragma('cache_size = -32768');
  // Checkpoint the WAL every 4,000 pages (16 MB) instead of 1,000: the pages every task touches
  // (counts, index roots) are then copied back once per checkpoint rather than four times.
  if (!options.readonly) {
    const pages = options.backgroundCheckpoints ? BACKSTOP_CHECKPOINT_PAGES : AUTO_CHECKPOINT_PAGES;
    db.pragma(`wal_autocheckpoint = ${pages}`);
    db.pragma('journal_size_limit = 67108864');
  }
  db.pragma('foreign_keys = ON');
  return db;
}
