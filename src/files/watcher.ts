import { type FSWatcher, watch } from 'node:fs';
import type { Clock } from '../core/clock.js';
import { isAudioFileName, isHidden, isPartialFile, SETTLE_MS } from '../core/orphans.js';
import type { OrphanScanner, ScanResult } from '../queue/scanner.js';

export interface WatcherOptions {
  /** Quiet time after the last change before a rescan. */
  debounceMs?: number;
  settleMs?: number;
  /** A full rescan this often anyway, in case the OS dropped an event. */
  safetyRescanMs?: number;
  onScan?: (result: ScanResult) => void;
  log?: (message: string) => void;
}

/**
 * Watch mode: a change under the notes folder triggers a rescan (debounced),
 * and the scanner decides what is new. A file still being written is left
 * for a rescan after it settles, so nothing half-copied is queued, and a
 * periodic rescan covers events the OS may drop.
 */
export class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private cancelTimer: (() => void) | null = null;
  private cancelSafety: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly root: string,
    private readonly scanner: OrphanScanner,
    private readonly clock: Clock,
    private readonly options: WatcherOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    try {
      this.watcher = watch(this.root, { recursive: true }, (_event, fileName) => {
        if (fileName === null || isRelevant(String(fileName))) this.schedule(this.options.debounceMs ?? 500);
      });
      this.watcher.on('error', (error) =>
        this.options.log?.(`watching ${this.root} failed: ${error.message}`),
      );
    } catch (error) {
      this.options.log?.(
        `cannot watch ${this.root} (${(error as Error).message}); rescanning periodically instead`,
      );
    }
    this.scheduleSafetyRescan();
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    this.cancelTimer?.();
    this.cancelSafety?.();
  }

  /** Something was still being written at the last scan: look again once it has had time to settle. */
  rescanAfterSettling(): void {
    this.schedule(this.options.settleMs ?? SETTLE_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = this.clock.setTimer(ms, () => void this.rescan());
  }

  private scheduleSafetyRescan(): void {
    const every = this.options.safetyRescanMs ?? 10 * 60_000;
    this.cancelSafety = this.clock.setTimer(every, () => {
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
      this.options.log?.(`rescan failed: ${(error as Error).message}`);
    }
  }
}

/**
 * Whether a change can make an orphan: audio, or a folder moved in (folders
 * have no audio extension, so anything not plainly irrelevant counts). Our
 * own sidecar writes (hidden temporaries, then .txt) and partial downloads do not.
 */
function isRelevant(fileName: string): boolean {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  if (isAudioFileName(base)) return true;
  return !isHidden(base) && !isPartialFile(base) && !/\.(txt|md)$/i.test(base);
}
