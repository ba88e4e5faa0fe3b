import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import {
  classifyAudio,
  isAudioFileName,
  isHidden,
  isSettled,
  SETTLE_MS,
  sidecarCandidates,
  transcriptionIdFor,
} from '../core/orphans.js';
import type { AdoptedSidecar, NewAudio } from '../core/types.js';
import type { NotesFolder } from './notesFolder.js';
import type { QueueManager } from './queueManager.js';

export interface ScanResult {
  /** Audio files seen, known or new. */
  audioFiles: number;
  /** New tasks queued. */
  queued: number;
  /** New transcriptions taken from a transcript beside the audio. */
  adopted: number;
  /** Audio modified too recently: it may still be being written; a later scan takes it. */
  unsettled: number;
  directories: number;
  /** Folders that could not be read (permissions), relative to the notes folder. */
  unreadable: string[];
  /** Links skipped: loops, or pointing outside the notes folder. */
  skippedLinks: string[];
  durationMs: number;
}

export interface ScanProgress {
  directories: number;
  audioFiles: number;
  queued: number;
}

export interface ScannerOptions {
  settleMs?: number;
  /** Audio paths (relative) never to take, such as the recording being written right now. */
  exclude?: () => ReadonlySet<string>;
  /** How many new files go into one transaction. */
  batchSize?: number;
  onProgress?: (progress: ScanProgress) => void;
  log?: (message: string) => void;
}

/** Directory entries read between yields to the event loop, so a big scan never stalls the server. */
const ENTRIES_PER_SLICE = 2_000;

/**
 * Finds audio in the notes folder that has no transcription (an orphan) and
 * queues it; adopts transcripts already sitting beside audio. The walk uses
 * synchronous directory reads (much faster than the thread pool for many
 * small calls) in slices, yielding between them. Known paths are not even
 * stat'ed, so a rescan costs little more than listing the folders.
 */
export class OrphanScanner {
  private running: Promise<ScanResult> | null = null;
  private again = false;

  constructor(
    private readonly notes: NotesFolder,
    private readonly queue: QueueManager,
    private readonly clock: Clock,
    private readonly options: ScannerOptions = {},
  ) {}

  /** Scans now; a call during a scan runs one more scan after it, so no change is missed. */
  scan(): Promise<ScanResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.scanUntilQuiet().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async scanUntilQuiet(): Promise<ScanResult> {
    let result = await this.scanOnce();
    while (this.again) {
      this.again = false;
      result = await this.scanOnce();
    }
    return result;
  }

  private async scanOnce(): Promise<ScanResult> {
    const started = this.clock.now();
    const known = await this.queue.store.knownAudioPaths();
    const excluded = this.options.exclude?.() ?? new Set<string>();
    const settleMs = this.options.settleMs ?? SETTLE_MS;
    const batchSize = this.options.batchSize ?? 500;
    const result: ScanResult = {
      audioFiles: 0,
      queued: 0,
      adopted: 0,
      unsettled: 0,
      directories: 0,
      unreadable: [],
      skippedLinks: [],
      durationMs: 0,
    };
    let batch: NewAudio[] = [];
    let sidecars: AdoptedSidecar[] = [];
    const flush = async () => {
      if (batch.length > 0) result.queued += await this.queue.addTasks(batch);
      if (sidecars.length > 0) {
        result.adopted += await this.queue.store.adoptSidecars(sidecars, this.clock.now());
        if (result.adopted > 0) this.queue.emit('queue-changed', { reason: 'adopted' });
      }
      batch = [];
      sidecars = [];
    };

    const rootReal = realpathSync(this.notes.root);
    const visited = new Set<string>([rootReal]);
    const stack: string[] = [this.notes.root];
    // Linked folders are walked after every real one, so a file is always named by its real path.
    const linked: string[] = [];
    let sinceYield = 0;
    while (stack.length > 0 || linked.length > 0) {
      let dir = stack.pop();
      if (dir === undefined) {
        dir = linked.pop() as string;
        if (!this.firstVisit(dir, visited)) {
          result.skippedLinks.push(this.notes.relativeOf(dir));
          continue;
        }
      }
      const entries = this.readDirectory(dir, result);
      if (!entries) continue;
      result.directories++;
      const names = new Set(entries.map((entry) => entry.name));
      for (const entry of entries) {
        if (isHidden(entry.name)) continue;
        const path = join(dir, entry.name);
        const kind = this.kindOf(entry, path, rootReal, result);
        if (kind === 'dir') {
          if (this.firstVisit(path, visited)) stack.push(path);
          continue;
        }
        if (kind === 'linked-dir') {
          linked.push(path);
          continue;
        }
        if (kind !== 'file' || !isAudioFileName(entry.name)) continue;
        result.audioFiles++;
        const relativePath = this.notes.relativeOf(path);
        if (known.has(relativePath) || excluded.has(relativePath)) continue;
        const sidecar = this.findSidecar(dir, entry.name, names);
        if (sidecar) {
          sidecars.push({ ...this.describe(relativePath), sidecarPath: sidecar.path, text: sidecar.text });
        } else {
          const audio = this.statAudio(path, relativePath, settleMs);
          if (audio === 'unsettled') result.unsettled++;
          else if (audio) batch.push(audio);
        }
        if (batch.length + sidecars.length >= batchSize) await flush();
      }
      sinceYield += entries.length;
      if (sinceYield >= ENTRIES_PER_SLICE) {
        sinceYield = 0;
        this.options.onProgress?.({
          directories: result.directories,
          audioFiles: result.audioFiles,
          queued: result.queued + batch.length,
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await flush();
    result.durationMs = this.clock.now() - started;
    this.options.onProgress?.({
      directories: result.directories,
      audioFiles: result.audioFiles,
      queued: result.queued,
    });
    return result;
  }

  private readDirectory(dir: string, result: ScanResult): Dirent[] | null {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const relative = this.notes.relativeOf(dir) || '.';
      result.unreadable.push(relative);
      this.options.log?.(
        `skipped unreadable folder ${relative}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
      return null;
    }
  }

  /**
   * What an entry is, for the walk. Linked folders are followed only inside
   * the notes folder; linked files are never taken (inside the folder they are
   * found under their real name, outside it they are not Hark's).
   */
  private kindOf(
    entry: Dirent,
    path: string,
    rootReal: string,
    result: ScanResult,
  ): 'dir' | 'linked-dir' | 'file' | 'other' {
    if (entry.isFile()) return 'file';
    if (entry.isDirectory()) return 'dir';
    if (!entry.isSymbolicLink()) return 'other';
    try {
      const real = realpathSync(path);
      if ((real === rootReal || real.startsWith(`${rootReal}/`)) && statSync(real).isDirectory())
        return 'linked-dir';
    } catch {
      // dangling link
    }
    result.skippedLinks.push(this.notes.relativeOf(path));
    return 'other';
  }

  /** Each folder is entered once, by real path, so links that loop back end the walk there. */
  private firstVisit(path: string, visited: Set<string>): boolean {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return false;
    }
    if (visited.has(real)) return false;
    visited.add(real);
    return true;
  }

  private describe(relativePath: string) {
    const { source, originalName } = classifyAudio(relativePath);
    return {
      transcriptionId: transcriptionIdFor(relativePath),
      audioPath: relativePath,
      source,
      originalName,
    };
  }

  private statAudio(path: string, relativePath: string, settleMs: number): NewAudio | 'unsettled' | null {
    let size: number;
    let mtimeMs: number;
    try {
      const stats = statSync(path);
      size = stats.size;
      mtimeMs = Math.floor(stats.mtimeMs);
    } catch {
      return null; // gone between listing and stat
    }
    if (!isSettled(mtimeMs, this.clock.now(), settleMs)) return 'unsettled';
    const { taskType, priority } = classifyAudio(relativePath);
    return { ...this.describe(relativePath), taskType, priority, fileSize: size, fileMtimeMs: mtimeMs };
  }

  private findSidecar(
    dir: string,
    audioName: string,
    names: Set<string>,
  ): { path: string; text: string } | null {
    for (const candidate of sidecarCandidates(audioName)) {
      if (!names.has(candidate)) continue;
      const path = join(dir, candidate);
      try {
        return {
          path: this.notes.relativeOf(path),
          text: this.notes.readText(this.notes.relativeOf(path)).trim(),
        };
      } catch {
        // unreadable sidecar: treat the audio as an orphan instead
      }
    }
    return null;
  }
}
