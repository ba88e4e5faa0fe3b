import type { Stats } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import { isAudioFileName, isHidden, isPartialFile, SETTLE_MS } from '../core/orphans.js';

/** What the watcher needs of a scan's result: whether something was still being written. */
export interface FolderScan {
  unsettled: number;
}

/** A full, idempotent walk of the notes folder that decides what is new (the scanner). */
export interface Rescanner<R extends FolderScan> {
  scan(): Promise<R>;
}

/** Ten minutes: a dropped event costs at most that long a wait, and an idle app one walk per ten minutes. */
export const SAFETY_RESCAN_MS = 10 * 60_000;

export interface WatcherOptions<R extends FolderScan> {
  /** Quiet time after the last change before a rescan. */
  debounceMs?: number;
  settleMs?: number;
  /** A full rescan this often anyway, in case the OS dropped an event (default SAFETY_RESCAN_MS). */
  safetyRescanMs?: number;
  onScan?: (result: R) => void;
  log?: Log;
}

/**
 * Watch mode: a change under the notes folder triggers a rescan (debounced),
 * and the scanner decides what is new. A file still being written is left
 * for a rescan after it settles, so nothing half-copied is queued, and a
 * periodic rescan covers events the OS may drop.
 *
 * chokidar keeps the tree of folders watched: a folder created or moved in is
 * watched as it appears (Node 20's recursive fs.watch can miss what lands in a
 * new folder, nodejs/node#48437), a removed one is released. Files are ignored,
 * because chokidar would otherwise give every file a watch of its own (one
 * inotify watch each, against a per-user limit): a folder's watch already
 * reports every entry created, renamed or written in it, which chokidar passes
 * on as `raw` events. We only need to know *that* something changed there.
 */
export class FolderWatcher<R extends FolderScan> {
  private readonly root: string;
  private watcher: FSWatcher | null = null;
  private cancelTimer: (() => void) | null = null;
  private cancelSafety: (() => void) | null = null;
  private stopped = false;
  private settleStart: (() => void) | null = null;

  constructor(
    root: string,
    private readonly scanner: Rescanner<R>,
    private readonly clock: Clock,
    private readonly options: WatcherOptions<R> = {},
  ) {
    this.root = resolve(root);
  }

  /** Starts watching; resolves once every folder has its watch (the rescan then catches what came meanwhile). */
  start(): Promise<void> {
    this.stopped = false;
    const changed = () => this.schedule(this.options.debounceMs ?? 500);
    const watcher = watch(this.root, {
      ignoreInitial: true,
      // Unlinks are not delayed to pair them with an add: we never act on one.
      atomic: false,
      ignored: (path: string, stats?: Stats) => this.ignored(path, stats),
    });
    this.watcher = watcher;
    watcher.on('raw', (_event, name) => {
      if (!name || isRelevant(basename(name))) changed();
    });
    watcher.on('addDir', changed);
    watcher.on('error', (error) =>
      this.options.log?.warn(
        `watching ${this.root} failed: ${(error as Error).message}; rescanning periodically`,
      ),
    );
    this.scheduleSafetyRescan();
    return new Promise((resolve) => {
      this.settleStart = resolve;
      watcher.once('ready', () => {
        // Anything that arrived between the first scan and the watches being in place.
        changed();
        resolve();
      });
    });
  }

  /** Releases every watch and timer; resolves once chokidar has closed its handles. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelSafety?.();
    const watcher = this.watcher;
    this.watcher = null;
    this.settleStart?.(); // a start() still walking the tree ends too
    await watcher?.close();
  }

  /** Something was still being written at the last scan: look again once it has had time to settle. */
  rescanAfterSettling(): void {
    this.schedule(this.options.settleMs ?? SETTLE_MS);
  }

  /** Folders only, and none the scanner skips (hidden ones); decided by name where possible, so without a stat. */
  private ignored(path: string, stats?: Stats): boolean {
    if (path === this.root) return false;
    const name = basename(path);
    if (isHidden(name) || isPartialFile(name)) return true;
    return stats !== undefined && !stats.isDirectory();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = this.clock.setTimer(ms, () => void this.rescan());
  }

  private scheduleSafetyRescan(): void {
    this.cancelSafety = this.clock.setTimer(this.options.safetyRescanMs ?? SAFETY_RESCAN_MS, () => {
      void this.rescan();
      if (!this.stopped) this.scheduleSafetyRescan();
    });
  }

  private async rescan(): Promise<void> {
    if (this.stopped) return;
    try {
      const result = await this.scanner.scan();
      this.options.onScan?.(result);
      if (result.unsettled > 0) this.rescanAfterSettling();
    } catch (error) {
      this.options.log?.warn(`rescan failed: ${(error as Error).message}`);
    }
  }
}

/**
 * Whether a change can make an orphan: audio, or a folder moved in (folders
 * have no audio extension, so anything not plainly irrelevant counts). Our
 * own sidecar writes (hidden temporaries, then .txt) and partial downloads do not.
 */
function isRelevant(fileName: string): boolean {
  if (isAudioFileName(fileName)) return true;
  return !isHidden(fileName) && !isPartialFile(fileName) && !/\.(txt|md)$/i.test(fileName);
}
