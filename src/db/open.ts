import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a write waits for another process's transaction before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

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
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // 32 MB of page cache (the default is 2 MB): the pages a queue of 100,000 tasks reads stay in memory.
  db.pragma('cache_size = -32768');
  // Checkpoint the WAL every 4,000 pages (16 MB) instead of 1,000: the pages every task touches
  // (counts, index roots) are then copied back once per checkpoint rather than four times.
  if (!options.readonly) {
    db.pragma('wal_autocheckpoint = 4000');
    db.pragma('journal_size_limit = 67108864');
  }
  db.pragma('foreign_keys = ON');
  return db;
}
