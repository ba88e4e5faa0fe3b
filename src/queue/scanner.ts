import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
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
  /**
   * Audio files listed but not taken, each logged with why: a name that is
   * not valid UTF-8 (Hark cannot address it), one that differs from another
   * only in Unicode normalisation, or one that cannot be looked at.
   */
  skippedFiles: string[];
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

/** How long the known-paths set is trusted before a scan reloads it from the database. */
const KNOWN_PATHS_MAX_AGE_MS = 5 * 60_000;

/** Directory entries read between yields to the event loop, so a big scan never stalls the server. */
const ENTRIES_PER_SLICE = 2_000;

/** What one scan gathers before it writes: new audio and adoptable transcripts. */
interface Pending {
  audio: NewAudio[];
  sidecars: AdoptedSidecar[];
  /** Transcription id → path of everything this scan has taken so far (see withoutNameTwins). */
  ids: Map<string, string>;
}

/**
 * Finds audio in the notes folder that has no transcription (an orphan) and
 * queues it; adopts transcripts already sitting beside audio. The walk uses
 * synchronous directory reads (much faster than the thread pool for many
 * small calls) in slices, yielding between them, and builds paths by string
 * (path.join and path.relative cost more than the reads). Known paths are not
 * even stat'ed, so a rescan costs little more than listing the folders.
 */
export class OrphanScanner {
  private running: Promise<ScanResult> | null = null;
  private again = false;
  /**
   * Audio paths known to have a transcription, kept between scans so a rescan
   * does not reload them all. Paths only ever join it (a scan adds what it
   * queues); a removed transcription calls forget(), and the whole set is
   * reloaded every few minutes to take in what other processes added.
   */
  private known: { paths: KnownPaths; loadedAt: number } | null = null;
  /** Audio found unsettled by the last scan: its size and mtime then, and since when it has had them. */
  private unsettledSeen = new Map<string, Fingerprint>();

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

  /** A transcription was removed: its audio, if it comes back, is an orphan again. */
  forget(relativePath: string): void {
    this.known?.paths.delete(relativePath);
  }

  private async knownPaths(): Promise<KnownPaths> {
    const now = this.clock.now();
    if (!this.known || now - this.known.loadedAt > KNOWN_PATHS_MAX_AGE_MS) {
      this.known = { paths: new KnownPaths(await this.queue.knownAudioPaths()), loadedAt: now };
    }
    return this.known.paths;
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
    const known = await this.knownPaths();
    const excluded = this.options.exclude?.() ?? new Set<string>();
    const result: ScanResult = {
      audioFiles: 0,
      queued: 0,
      adopted: 0,
      unsettled: 0,
      directories: 0,
      unreadable: [],
      skippedLinks: [],
      skippedFiles: [],
      durationMs: 0,
    };
    const pending: Pending = { audio: [], sidecars: [], ids: new Map() };
    const unsettledBefore = this.unsettledSeen;
    this.unsettledSeen = new Map(); // keeps only what is still unsettled at the end of this scan
    const root = this.notes.root;
    const rootReal = realpathSync(root);
    const visited = new Set<string>([rootReal]);
    // Folders to read: [path relative to the notes folder ('' is the folder itself), real path].
    // Linked folders wait until every real one is read, so a file is named by its real path.
    const stack: [string, string][] = [['', rootReal]];
    const linked: string[] = [];
    let sinceYield = 0;
    while (stack.length > 0 || linked.length > 0) {
      let next = stack.pop();
      if (next === undefined) {
        const link = linked.pop() as string;
        const real = this.firstVisit(`${root}/${link}`, visited);
        if (real === null) {
          result.skippedLinks.push(link);
          continue;
        }
        next = [link, real];
      }
      const [relativeDir, realDir] = next;
      const dir = relativeDir === '' ? root : `${root}/${relativeDir}`;
      const entries = this.readDirectory(dir, relativeDir, result);
      if (!entries) continue;
      result.directories++;
      let names: Set<string> | null = null;
      const knownHere = known.in(relativeDir);
      for (const entry of entries) {
        const name = entry.name;
        if (isHidden(name)) continue;
        const relativePath = relativeDir === '' ? name : `${relativeDir}/${name}`;
        if (entry.isDirectory()) {
          // A real folder's real path is its parent's plus its name: no need to ask the OS.
          const real = `${realDir}/${name}`;
          if (visited.has(real)) continue;
          visited.add(real);
          stack.push([relativePath, real]);
        } else if (entry.isSymbolicLink()) {
          if (this.leadsToFolderInside(`${dir}/${name}`, rootReal)) linked.push(relativePath);
          else result.skippedLinks.push(relativePath);
        } else if (entry.isFile() && isAudioFileName(name)) {
          result.audioFiles++;
          if (knownHere?.has(name) || excluded.has(relativePath)) continue;
          names ??= new Set(entries.map((e) => e.name));
          this.take(relativeDir, name, names, pending, result, unsettledBefore);
          if (pending.audio.length + pending.sidecars.length >= (this.options.batchSize ?? 500)) {
            await this.flush(pending, result);
          }
        }
      }
      sinceYield += entries.length;
      if (sinceYield >= ENTRIES_PER_SLICE) {
        sinceYield = 0;
        this.reportProgress(result, pending);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await this.flush(pending, result);
    result.durationMs = this.clock.now() - started;
    this.reportProgress(result, pending);
    return result;
  }

  /** A new audio file: adopt the transcript beside it, or queue it once it has settled. */
  private take(
    relativeDir: string,
    name: string,
    names: Set<string>,
    pending: Pending,
    result: ScanResult,
    unsettledBefore: ReadonlyMap<string, Fingerprint>,
  ): void {
    const relativePath = relativeDir === '' ? name : `${relativeDir}/${name}`;
    const sidecar = this.findSidecar(relativeDir, name, names);
    if (sidecar) {
      pending.sidecars.push({
        ...this.describe(relativePath),
        sidecarPath: sidecar.path,
        text: sidecar.text,
      });
      return;
    }
    const audio = this.statAudio(relativePath, result, unsettledBefore);
    if (audio === 'unsettled') result.unsettled++;
    else if (audio) pending.audio.push(audio);
  }

  private async flush(pending: Pending, result: ScanResult): Promise<void> {
    pending.audio = await this.withoutNameTwins(pending.audio, pending.ids, result);
    pending.sidecars = await this.withoutNameTwins(pending.sidecars, pending.ids, result);
    try {
      if (pending.audio.length > 0) result.queued += await this.queue.addTasks(pending.audio);
      if (pending.sidecars.length > 0) {
        const adopted = await this.queue.adoptSidecars(pending.sidecars);
        result.adopted += adopted;
      }
    } catch (error) {
      this.known = null; // unsure what was written: reload next time
      throw error;
    }
    // Written now, or already there: either way known from here on.
    for (const item of [...pending.audio, ...pending.sidecars]) this.known?.paths.add(item.audioPath);
    pending.audio = [];
    pending.sidecars = [];
  }

  /**
   * Ids come from the path normalised to NFC, so that one file named in
   * either form (as macOS may hand it over) is one transcription. On Linux
   * both forms can sit side by side as two files, and the second would be
   * dropped without a word by the database (same id): it is reported
   * instead, for the user to rename. Only paths that normalisation can
   * change are looked up in the database.
   */
  private async withoutNameTwins<T extends { transcriptionId: string; audioPath: string }>(
    items: T[],
    ids: Map<string, string>,
    result: ScanResult,
  ): Promise<T[]> {
    const kept: T[] = [];
    for (const item of items) {
      const { transcriptionId: id, audioPath: path } = item;
      const twin =
        ids.get(id) ??
        (/^[\x20-\x7e]*$/.test(path) ? undefined : (await this.queue.getTranscription(id))?.audioPath);
      if (twin !== undefined && twin !== path) {
        result.skippedFiles.push(path);
        this.options.log?.(
          `skipped ${path}: its name differs from ${twin} only in Unicode normalisation (the same ` +
            'letters, encoded differently), so Hark cannot tell them apart; rename one to have both transcribed',
        );
        continue;
      }
      ids.set(id, path);
      kept.push(item);
    }
    return kept;
  }

  private reportProgress(result: ScanResult, pending: Pending): void {
    this.options.onProgress?.({
      directories: result.directories,
      audioFiles: result.audioFiles,
      queued: result.queued + pending.audio.length,
    });
  }

  private readDirectory(dir: string, relativeDir: string, result: ScanResult): Dirent[] | null {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const shown = relativeDir || '.';
      result.unreadable.push(shown);
      this.options.log?.(
        `skipped unreadable folder ${shown}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
      return null;
    }
  }

  /**
   * Linked folders are followed only when they lead inside the notes folder.
   * Linked files are never taken: inside the folder they are found under their
   * real name, and outside it they are not Hark's to read.
   */
  private leadsToFolderInside(path: string, rootReal: string): boolean {
    try {
      const real = realpathSync(path);
      return (real === rootReal || real.startsWith(`${rootReal}/`)) && statSync(real).isDirectory();
    } catch {
      return false; // dangling
    }
  }

  /** Each folder is entered once, by real path, so a link that loops back ends the walk there. */
  private firstVisit(path: string, visited: Set<string>): string | null {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return null;
    }
    if (visited.has(real)) return null;
    visited.add(real);
    return real;
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

  private statAudio(
    relativePath: string,
    result: ScanResult,
    unsettledBefore: ReadonlyMap<string, Fingerprint>,
  ): NewAudio | 'unsettled' | null {
    let size: number;
    let mtimeMs: number;
    try {
      const stats = statSync(`${this.notes.root}/${relativePath}`);
      size = stats.size;
      mtimeMs = Math.floor(stats.mtimeMs);
    } catch (error) {
      this.skipUnstatable(relativePath, error as NodeJS.ErrnoException, result);
      return null;
    }
    const now = this.clock.now();
    // Unsettled by its mtime, a file is still taken once it has stayed the same (size and mtime)
    // for the settle time: one whose mtime is in the future (a recorder or phone with its clock
    // ahead, a copy that kept that time) would otherwise wait, unqueued, until that date.
    const settleMs = this.options.settleMs ?? SETTLE_MS;
    const before = unsettledBefore.get(relativePath);
    const unchanged = before !== undefined && before.size === size && before.mtimeMs === mtimeMs;
    if (!isSettled(mtimeMs, now, settleMs) && !(unchanged && now - before.since >= settleMs)) {
      this.unsettledSeen.set(relativePath, unchanged ? before : { size, mtimeMs, since: now });
      return 'unsettled';
    }
    const { taskType, priority } = classifyAudio(relativePath);
    return { ...this.describe(relativePath), taskType, priority, fileSize: size, fileMtimeMs: mtimeMs };
  }

  /**
   * A listed file that cannot be stat'ed. Gone since the listing: nothing to
   * say. Anything else would lose the file without a word, so it is logged
   * and reported: a name that is not valid UTF-8 comes back from the listing
   * with U+FFFD in place of its bad bytes and so names no file; a file in a
   * folder that may be listed but not entered (r without x) cannot be looked at.
   */
  private skipUnstatable(relativePath: string, error: NodeJS.ErrnoException, result: ScanResult): void {
    const badName = error.code === 'ENOENT' && relativePath.includes('\uFFFD');
    if (error.code === 'ENOENT' && !badName) return;
    result.skippedFiles.push(relativePath);
    this.options.log?.(
      badName
        ? `skipped ${relativePath}: its name is not valid UTF-8; rename it to have it transcribed`
        : `skipped ${relativePath}: it cannot be read (${error.code ?? error.message})`,
    );
  }

  private findSidecar(
    relativeDir: string,
    audioName: string,
    names: Set<string>,
  ): { path: string; text: string } | null {
    for (const candidate of sidecarCandidates(audioName)) {
      if (!names.has(candidate)) continue;
      const path = relativeDir === '' ? candidate : `${relativeDir}/${candidate}`;
      try {
        return { path, text: this.notes.readText(path).trim() };
      } catch {
        // an unreadable transcript: treat the audio as an orphan instead
      }
    }
    return null;
  }
}

interface Fingerprint {
  size: number;
  mtimeMs: number;
  /** When the scanner first saw the file with this size and mtime. */
  since: number;
}

/**
 * Known audio paths grouped by folder, so the walk asks "is this name known
 * here" without building the full path of every file it lists.
 */
class KnownPaths {
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
