import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';
import {
  classifyAudio,
  isAudioFileName,
  SETTLE_MS,
  sidecarPathFor,
  transcriptionIdFor,
} from '../core/orphans.js';
import type { AdoptedSidecar, NewAudio, Transcription } from '../core/types.js';
import type { NotesFiles } from '../files/notesFiles.js';
import type { WalkReport } from '../files/walk.js';
import type { QueueManager } from './queueManager.js';
import { KnownPathsCache } from './scan/knownPaths.js';
import { NameTwins } from './scan/nameTwins.js';
import { SettleTracker } from './scan/settleTracker.js';
import { findSidecar } from './scan/sidecarAdoption.js';

export interface ScanResult extends WalkReport {
  /** Audio files seen, known or new. */
  audioFiles: number;
  /** New tasks queued. */
  queued: number;
  /** New transcriptions taken from a transcript beside the audio. */
  adopted: number;
  /** Audio modified too recently: it may still be being written; a later scan takes it. */
  unsettled: number;
  /** Transcribed files found under a new path (moved or renamed): their note followed them. */
  moved: number;
  /** Notes whose audio was found gone (marked "audio missing"), and found back. */
  missing: number;
  found: number;
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
  log?: Log;
}

/** Directory entries read between yields to the event loop, so a big scan never stalls the server. */
const ENTRIES_PER_SLICE = 2_000;

/** What one scan gathers before it writes: new audio and adoptable transcripts. */
interface Pending {
  audio: NewAudio[];
  sidecars: AdoptedSidecar[];
  twins: NameTwins;
}

/**
 * Finds audio in the notes folder that has no transcription (an orphan) and
 * queues it; adopts transcripts already sitting beside audio. It orchestrates
 * the parts: the walk (files/walk.ts) lists every folder in slices, yielding
 * between them; known paths (scan/knownPaths.ts) are not even stat'ed, so a
 * rescan costs little more than listing the folders; new audio is adopted with
 * its transcript (scan/sidecarAdoption.ts) or queued once settled
 * (scan/settleTracker.ts), minus Unicode twins (scan/nameTwins.ts).
 */
export class OrphanScanner {
  private running: Promise<ScanResult> | null = null;
  private again = false;
  private readonly known: KnownPathsCache;
  private readonly settle: SettleTracker;

  constructor(
    private readonly notes: NotesFiles,
    private readonly queue: QueueManager,
    private readonly clock: Clock,
    private readonly options: ScannerOptions = {},
  ) {
    this.known = new KnownPathsCache(() => this.queue.knownAudioPaths(), clock);
    this.settle = new SettleTracker(options.settleMs ?? SETTLE_MS);
    // Hark's own files (imports, recordings) are known the moment they are placed.
    notes.onOwnFile({ placed: (path) => this.known.placed(path), removed: (path) => this.forget(path) });
  }

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
    this.known.forget(relativePath);
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
    const known = await this.known.get();
    const excluded = this.options.exclude?.() ?? new Set<string>();
    const result: ScanResult = {
      audioFiles: 0,
      queued: 0,
      adopted: 0,
      unsettled: 0,
      moved: 0,
      missing: 0,
      found: 0,
      directories: 0,
      unreadable: [],
      skippedLinks: [],
      skippedFiles: [],
      durationMs: 0,
    };
    const twins = new NameTwins(
      async (id) => (await this.queue.getTranscription(id))?.audioPath,
      this.options.log,
    );
    const pending: Pending = { audio: [], sidecars: [], twins };
    this.settle.beginScan();
    const seen = new Set<string>();
    let sinceYield = 0;
    for (const listing of this.notes.walk(result, this.options.log)) {
      const { folder } = listing;
      const knownHere = known.in(folder);
      for (const name of listing.files) {
        if (!isAudioFileName(name)) continue;
        result.audioFiles++;
        if (knownHere?.has(name)) {
          seen.add(folder === '' ? name : `${folder}/${name}`);
          continue;
        }
        if (excluded.has(folder === '' ? name : `${folder}/${name}`)) continue;
        this.take(folder, name, listing.names(), pending, result);
        if (pending.audio.length + pending.sidecars.length >= (this.options.batchSize ?? 500)) {
          await this.flush(pending, result);
        }
      }
      sinceYield += listing.files.length + 1;
      if (sinceYield >= ENTRIES_PER_SLICE) {
        sinceYield = 0;
        this.reportProgress(result, pending);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await this.flush(pending, result);
    // Only a walk that saw every folder can say a file is gone.
    if (result.unreadable.length === 0) await this.markMissing(seen, excluded, result);
    result.durationMs = this.clock.now() - started;
    this.reportProgress(result, pending);
    return result;
  }

  /** A new audio file: adopt the transcript beside it, or queue it once it has settled. */
  private take(
    folder: string,
    name: string,
    names: ReadonlySet<string>,
    pending: Pending,
    result: ScanResult,
  ): void {
    const relativePath = folder === '' ? name : `${folder}/${name}`;
    const sidecar = findSidecar(this.notes, folder, name, names);
    if (sidecar) {
      pending.sidecars.push({
        ...describe(relativePath),
        sidecarPath: sidecar.path,
        text: sidecar.text,
        fingerprint: this.fingerprintOf(relativePath),
      });
      return;
    }
    const audio = this.statAudio(relativePath, result);
    if (audio === 'unsettled') result.unsettled++;
    else if (audio) pending.audio.push(audio);
  }

  private async flush(pending: Pending, result: ScanResult): Promise<void> {
    await this.followMoves(pending, result);
    pending.audio = await pending.twins.without(pending.audio, result);
    pending.sidecars = await pending.twins.without(pending.sidecars, result);
    try {
      if (pending.audio.length > 0) result.queued += await this.queue.addTasks(pending.audio);
      if (pending.sidecars.length > 0) {
        const adopted = await this.queue.adoptSidecars(pending.sidecars);
        result.adopted += adopted;
      }
    } catch (error) {
      this.known.invalidate(); // unsure what was written: reload next time
      throw error;
    }
    // Written now, or already there: either way known from here on.
    for (const item of [...pending.audio, ...pending.sidecars]) this.known.add(item.audioPath);
    pending.audio = [];
    pending.sidecars = [];
  }

  /**
   * New paths whose content is a note whose audio is gone: the file was moved or renamed inside
   * the folder. The note follows it (and a sidecar Hark wrote moves along), instead of a new
   * note and a second transcription. A copy (the note's audio still there) is a new note.
   */
  private async followMoves(pending: Pending, result: ScanResult): Promise<void> {
    const items: (NewAudio | AdoptedSidecar)[] = [...pending.audio, ...pending.sidecars];
    const prints = items.map((item) => item.fingerprint).filter((print): print is string => !!print);
    if (prints.length === 0) return;
    const candidates = await this.queue.findByFingerprints([...new Set(prints)]);
    if (candidates.length === 0) return;
    // Each candidate looked at once: only notes whose audio is gone can have moved.
    const goneByPrint = new Map<string, Transcription[]>();
    for (const note of candidates) {
      if (!note.fingerprint || !this.gone(note.audioPath)) continue;
      goneByPrint.set(note.fingerprint, [...(goneByPrint.get(note.fingerprint) ?? []), note]);
    }
    if (goneByPrint.size === 0) return;
    const followed = new Set<NewAudio | AdoptedSidecar>();
    for (const item of items) {
      const note = item.fingerprint ? goneByPrint.get(item.fingerprint)?.shift() : undefined;
      if (!note) continue;
      let sidecarPath = 'sidecarPath' in item ? item.sidecarPath : null;
      if (!sidecarPath && note.sidecarState === 'written' && note.sidecarPath) {
        const ext = note.sidecarPath.endsWith('.md') ? 'md' : 'txt';
        const target = sidecarPathFor(item.audioPath, ext);
        if (this.notes.move(note.sidecarPath, target)) sidecarPath = target;
      }
      await this.queue.moveNote(note.id, item.audioPath, sidecarPath);
      this.options.log?.info(`${note.audioPath} moved to ${item.audioPath}: its note followed it`);
      this.known.forget(note.audioPath);
      this.known.add(item.audioPath);
      followed.add(item);
      result.moved++;
    }
    pending.audio = pending.audio.filter((item) => !followed.has(item));
    pending.sidecars = pending.sidecars.filter((item) => !followed.has(item));
  }

  /** Notes whose audio this walk did not see are marked "audio missing"; seen again, unmarked. */
  private async markMissing(seen: ReadonlySet<string>, excluded: ReadonlySet<string>, result: ScanResult) {
    const states = await this.queue.audioStates();
    const missing = states.filter(
      (s) =>
        !s.audioMissing && !seen.has(s.audioPath) && !excluded.has(s.audioPath) && this.gone(s.audioPath),
    );
    const back = states.filter((s) => s.audioMissing && (seen.has(s.audioPath) || !this.gone(s.audioPath)));
    result.missing += await this.queue.setAudioMissing(
      missing.map((s) => s.id),
      true,
    );
    result.found += await this.queue.setAudioMissing(
      back.map((s) => s.id),
      false,
    );
  }

  private gone(relativePath: string): boolean {
    try {
      return this.notes.stat(relativePath) === null;
    } catch {
      return false; // cannot be looked at: not known to be gone
    }
  }

  private fingerprintOf(relativePath: string): string | null {
    try {
      return this.notes.fingerprint(relativePath);
    } catch {
      return null; // unreadable now: the worker will say so
    }
  }

  private reportProgress(result: ScanResult, pending: Pending): void {
    this.options.onProgress?.({
      directories: result.directories,
      audioFiles: result.audioFiles,
      queued: result.queued + pending.audio.length,
    });
  }

  private statAudio(relativePath: string, result: ScanResult): NewAudio | 'unsettled' | null {
    let stat: ReturnType<NotesFiles['statListed']>;
    try {
      stat = this.notes.statListed(relativePath);
    } catch (error) {
      this.skipUnreadable(
        relativePath,
        (error as NodeJS.ErrnoException).code ?? (error as Error).message,
        result,
      );
      return null;
    }
    if (stat === null) {
      // Gone since the listing: nothing to say. Unless its name is not valid UTF-8: the listing gave
      // it with U+FFFD in place of its bad bytes, so it names no file, and would be lost without a word.
      if (relativePath.includes('\uFFFD')) {
        result.skippedFiles.push(relativePath);
        this.options.log?.warn(
          `skipped ${relativePath}: its name is not valid UTF-8; rename it to have it transcribed`,
        );
      }
      return null;
    }
    if (!this.settle.settled(relativePath, stat, this.clock.now())) return 'unsettled';
    const { taskType, priority } = classifyAudio(relativePath);
    return {
      ...describe(relativePath),
      taskType,
      priority,
      fileSize: stat.size,
      fileMtimeMs: stat.mtimeMs,
      fingerprint: this.fingerprintOf(relativePath),
    };
  }

  /** A listed file that cannot be looked at (in a folder that may be listed but not entered: r without x). */
  private skipUnreadable(relativePath: string, why: string, result: ScanResult): void {
    result.skippedFiles.push(relativePath);
    this.options.log?.warn(`skipped ${relativePath}: it cannot be read (${why})`);
  }
}

/** Everything the scanner finds was found in the notes folder, whatever its name says (origin 'found'). */
function describe(relativePath: string) {
  const { source, originalName } = classifyAudio(relativePath);
  return {
    transcriptionId: transcriptionIdFor(relativePath),
    audioPath: relativePath,
    source,
    originalName,
    origin: 'found' as const,
  };
}
