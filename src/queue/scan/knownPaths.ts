import type { Clock } from '../../core/clock.js';

/** How long the known-paths set is trusted before a scan reloads it from the database. */
export const KNOWN_PATHS_MAX_AGE_MS = 5 * 60_000;

/**
 * Known audio paths grouped by folder, so the walk asks "is this name known
 * here" without building the full path of every file it lists.
 */
export class KnownPaths {
  private readonly byFolder = new Map<string, Set<string>>();

  constructor(paths: Iterable<string>) {
    for (const path of paths) this.add(path);
  }

  in(folder: string): ReadonlySet<string> | undefined {
    return this.byFolder.get(folder);
  }

  add(path: string): void {
    const slash = path.lastIndexOf('/');
    const folder = slash < 0 ? '' : path.slice(0, slash);
    let names = this.byFolder.get(folder);
    if (!names) {
      names = new Set();
      this.byFolder.set(folder, names);
    }
    names.add(path.slice(slash + 1));
  }

  delete(path: string): void {
    const slash = path.lastIndexOf('/');
    this.byFolder.get(slash < 0 ? '' : path.slice(0, slash))?.delete(path.slice(slash + 1));
  }
}

/**
 * Audio paths known to have a transcription, kept between scans so a rescan
 * does not reload them all. Paths join it as a scan queues them and as Hark
 * places its own files (placed(): before their row is written, so a scan in
 * between cannot take them); a removed transcription leaves it (forget());
 * the whole set is reloaded every few minutes to take in what other processes added.
 */
export class KnownPathsCache {
  private known: { paths: KnownPaths; loadedAt: number } | null = null;
  /**
   * Files Hark itself placed (imports, recordings, copies) that the database
   * may not list yet: kept across reloads until the database has them.
   * Without this a rescan took an import whose task was cancelled a moment
   * after it arrived for a new orphan, and queued it again.
   */
  private readonly placedByHark = new Set<string>();

  constructor(
    private readonly load: () => Promise<Set<string>>,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<KnownPaths> {
    const now = this.clock.now();
    if (!this.known || now - this.known.loadedAt > KNOWN_PATHS_MAX_AGE_MS) {
      const paths = await this.load();
      for (const path of this.placedByHark) {
        if (paths.has(path)) this.placedByHark.delete(path);
        else paths.add(path);
      }
      this.known = { paths: new KnownPaths(paths), loadedAt: now };
    }
    return this.known.paths;
  }

  /** Queued or adopted by a scan, or already there: known from here on. */
  add(path: string): void {
    this.known?.paths.add(path);
  }

  /** A file Hark placed itself: never an orphan, whatever becomes of its task. */
  placed(path: string): void {
    this.placedByHark.add(path);
    this.known?.paths.add(path);
  }

  /** A transcription was removed: its audio, if it comes back, is an orphan again. */
  forget(path: string): void {
    this.placedByHark.delete(path);
    this.known?.paths.delete(path);
  }

  /** Unsure what was written: reload at the next scan. */
  invalidate(): void {
    this.known = null;
  }
}
