import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface ChangeWatcherOptions {
  /**
   * The SQLite database file. Its `-wal` file is written by every commit, so a
   * watch on the data folder says when to look; without it, only the poll does.
   */
  databaseFile?: string;
  /** Look anyway this often: for file systems where a watch reports nothing (default 2 s). */
  fallbackMs?: number;
  /** Where the data folder cannot be watched at all: the poll runs this often instead (default 100 ms). */
  pollMs?: number;
}

/**
 * Notices commits made by other processes (a `hark pause` typed in another
 * terminal) through SQLite's data_version, which changes only when another
 * connection commits. It is read when the database's `-wal` file changes (one
 * watch on the data folder, not on the notes folder), and every two seconds
 * in case the file system does not report changes: an idle app wakes up half
 * a time a second instead of ten. Our own commits wake it too; they find
 * data_version unchanged, and the events of a burst are read as one.
 */
export class ChangeWatcher {
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private last = -1;
  private checking: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: { dataVersion(): Promise<number> },
    private readonly onChange: () => Promise<void> | void,
    private readonly options: ChangeWatcherOptions = {},
  ) {}

  async start(): Promise<void> {
    this.last = await this.store.dataVersion();
    const watching = this.watchWal();
    this.schedulePoll(watching ? (this.options.fallbackMs ?? 2_000) : (this.options.pollMs ?? 100));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
  }

  private watchWal(): boolean {
    const file = this.options.databaseFile;
    if (!file || file === ':memory:') return false;
    const wal = `${basename(file)}-wal`;
    try {
      // Not persistent: the watch alone does not keep the process alive, as the poll's timer does not.
      this.watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
        if (name === null || String(name) === wal) this.check();
      });
      this.watcher.on('error', () => {
        // The folder went away or the watch broke: the poll goes on alone, at the old pace.
        this.watcher?.close();
        this.watcher = null;
        if (this.timer) clearTimeout(this.timer);
        this.schedulePoll(this.options.pollMs ?? 100);
      });
      return true;
    } catch {
      return false;
    }
  }

  private schedulePoll(everyMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.check();
      this.schedulePoll(everyMs);
    }, everyMs);
    this.timer.unref();
  }

  /** Reads data_version now, or once more after the read under way (so no commit goes unseen). */
  private check(): void {
    if (this.stopped) return;
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = this.read().finally(() => {
      this.checking = null;
      if (this.again) {
        this.again = false;
        this.check();
      }
    });
  }

  private async read(): Promise<void> {
    try {
      const version = await this.store.dataVersion();
      if (version !== this.last) {
        this.last = version;
        await this.onChange();
      }
    } catch {
      // the database is busy or closing; the next change or poll tries again
    }
  }
}
