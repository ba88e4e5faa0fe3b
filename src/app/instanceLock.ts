import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HarkError } from '../core/errors.js';

export interface InstanceInfo {
  pid: number;
  startedAt: string;
  url: string | null;
  /** True once start-up is over (recovery, the server if any, the first scan): what tests and scripts wait for. */
  ready: boolean;
}

const LOCK_FILE = 'hark.lock';
const INFO_FILE = 'hark.instance.json';

/**
 * One running Hark per data folder. The lock is an exclusive SQLite lock on
 * a small file: the kernel drops it when the process dies, even by SIGKILL,
 * so there is no stale lock to clean up and no PID to misread. Only the
 * holder runs crash recovery and the worker.
 */
export class InstanceLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly dataDir: string,
    private info: InstanceInfo,
  ) {}

  static acquire(dataDir: string): InstanceLock {
    const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL)');
      db.exec(`BEGIN EXCLUSIVE; DELETE FROM holder; INSERT INTO holder VALUES (${process.pid}); COMMIT`);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        const other = readInstanceInfo(dataDir);
        const where = other ? ` (pid ${other.pid}${other.url ? `, ${other.url}` : ''})` : '';
        throw new HarkError(
          'already_running',
          `Hark is already running on ${dataDir}${where}. Stop it first, or use another --data folder.`,
        );
      }
      throw error;
    }
    const lock = new InstanceLock(db, dataDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      url: null,
      ready: false,
    });
    lock.writeInfo();
    return lock;
  }

  /** Records where the running app listens, for the other commands' messages. */
  setUrl(url: string): void {
    this.info = { ...this.info, url };
    this.writeInfo();
  }

  /** Records that start-up is over, for whoever waits on this data folder (with or without a server). */
  markReady(): void {
    this.info = { ...this.info, ready: true };
    this.writeInfo();
  }

  release(): void {
    if (!this.db.open) return;
    rmSync(join(this.dataDir, INFO_FILE), { force: true });
    this.db.close();
  }

  private writeInfo(): void {
    writeFileSync(join(this.dataDir, INFO_FILE), `${JSON.stringify(this.info)}\n`);
  }
}

/** What the running instance wrote about itself; may be stale if it was killed. */
export function readInstanceInfo(dataDir: string): InstanceInfo | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, INFO_FILE), 'utf8')) as InstanceInfo;
  } catch {
    return null;
  }
}

/** True when some process holds the lock right now. */
export function isInstanceRunning(dataDir: string): boolean {
  try {
    InstanceLock.acquire(dataDir).release();
    return false;
  } catch (error) {
    if (error instanceof HarkError && error.kind === 'already_running') return true;
    throw error;
  }
}
