import { isSettled } from '../../core/orphans.js';
import type { FileStat } from '../../files/notesFiles.js';

interface Fingerprint extends FileStat {
  /** When a scan first saw the file with this size and mtime. */
  since: number;
}

/**
 * Files still being written: audio modified too recently is left for a later
 * scan. A file is also taken once it has stayed the same (size and mtime)
 * for the settle time, so one whose mtime is in the future (a recorder or
 * phone with its clock ahead, a copy that kept that time) does not wait,
 * unqueued, until that date.
 */
export class SettleTracker {
  /** Audio found unsettled by the last scan: its size and mtime then, and since when it has had them. */
  private seen = new Map<string, Fingerprint>();
  private previous: ReadonlyMap<string, Fingerprint> = new Map();

  constructor(private readonly settleMs: number) {}

  /** A scan begins: only what is still unsettled at its end is remembered. */
  beginScan(): void {
    this.previous = this.seen;
    this.seen = new Map();
  }

  /** Whether the file may be taken now. */
  settled(path: string, stat: FileStat, now: number): boolean {
    const before = this.previous.get(path);
    const unchanged = before !== undefined && before.size === stat.size && before.mtimeMs === stat.mtimeMs;
    if (isSettled(stat.mtimeMs, now, this.settleMs) || (unchanged && now - before.since >= this.settleMs)) {
      return true;
    }
    this.seen.set(path, unchanged ? before : { ...stat, since: now });
    return false;
  }
}
