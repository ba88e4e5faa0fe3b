import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Aborted, BadRequest, InvalidState } from '../core/errors.js';
import { type CatalogModel, catalogModel } from './catalog.js';
import { pullModel } from './download.js';
import { listModels, removeModel } from './store.js';

export type DownloadPhase = 'downloading' | 'verifying' | 'failed' | 'cancelled';

export interface DownloadState {
  phase: DownloadPhase;
  bytes: number;
  /** The whole size; 0 while unknown (a catalog entry without one, before the server says). */
  total: number;
  /** Why it failed, in plain words (the download's own message). */
  error: string | null;
}

/** One row of the model manager: the catalog's facts, what is on disk, and any download under way. */
export interface ModelInfo {
  name: string;
  installed: boolean;
  size_bytes: number | null;
  /** Bytes of an unfinished download kept for a resume. */
  partial_bytes: number;
  known: boolean;
  multilingual: boolean | null;
  languages: 'en' | 'multilingual' | null;
  speed: number | null;
  accuracy: number | null;
  download: DownloadState | null;
}

export interface ModelManagerOptions {
  dataDir: string;
  catalog: readonly CatalogModel[];
  baseUrl?: string | undefined;
  /** Told of every change (progress included), for the page and the terminal. */
  onChange?: (name: string, state: DownloadState | null) => void;
  /** Told once a model is verified and in place. */
  onInstalled?: (name: string, path: string) => void;
}

/** ggml's magic number, as the first four bytes of a model file (little-endian 0x67676d6c). */
const GGML_MAGIC = Buffer.from([0x6c, 0x6d, 0x67, 0x67]);

/**
 * Downloads, cancels, resumes and removes whisper models, one download per
 * model at a time, and remembers how each went (a failure keeps its reason
 * until the next try). The bytes and the checksum are pullModel's work.
 */
export class ModelManager {
  private readonly downloads = new Map<string, DownloadState>();
  /** Downloads under way; `done` says how each ended: installed, or stopped (cancelled or failed). */
  private readonly running = new Map<
    string,
    { controller: AbortController; done: Promise<'installed' | 'stopped'> }
  >();
  /** Progress is reported at most this often (and at every phase change). */
  private lastTold = 0;

  constructor(private readonly options: ModelManagerOptions) {}

  get catalog(): readonly CatalogModel[] {
    return this.options.catalog;
  }

  list(): ModelInfo[] {
    return listModels(this.options.dataDir, this.options.catalog).map((listing) => {
      const entry = catalogModel(listing.name, this.options.catalog);
      return {
        name: listing.name,
        installed: listing.installed,
        size_bytes: listing.sizeBytes,
        partial_bytes: listing.partialBytes,
        known: listing.known,
        multilingual: listing.multilingual,
        languages: entry?.languages ?? null,
        speed: entry?.speed ?? null,
        accuracy: entry?.accuracy ?? null,
        download: this.downloads.get(listing.name) ?? null,
      };
    });
  }

  state(name: string): DownloadState | null {
    return this.downloads.get(name) ?? null;
  }

  isDownloading(name: string): boolean {
    return this.running.has(name);
  }

  /** Starts (or resumes, from the `.part` file) a download; a download already running is left alone. */
  download(name: string): DownloadState {
    const entry = catalogModel(name, this.options.catalog);
    if (!entry) throw new BadRequest(`Unknown model ${JSON.stringify(name)}: not in the catalog`);
    const current = this.running.get(name);
    if (current) return this.downloads.get(name) as DownloadState;
    const controller = new AbortController();
    this.set(name, { phase: 'downloading', bytes: 0, total: entry.sizeBytes ?? 0, error: null }, true);
    const done = pullModel(name, this.options.dataDir, {
      catalog: this.options.catalog,
      signal: controller.signal,
      ...(this.options.baseUrl ? { baseUrl: this.options.baseUrl } : {}),
      onProgress: (bytes, total) => {
        // total is 0 while the size is unknown (a catalog entry without one, before the server says).
        const phase = total > 0 && bytes >= total ? 'verifying' : 'downloading';
        this.set(name, { phase, bytes, total, error: null }, phase === 'verifying');
      },
    }).then(
      (result) => {
        this.running.delete(name);
        this.downloads.delete(name);
        this.options.onChange?.(name, null);
        this.options.onInstalled?.(name, result.path);
        return 'installed' as const;
      },
      (error: unknown) => {
        this.running.delete(name);
        const before = this.downloads.get(name);
        const cancelled = error instanceof Aborted || controller.signal.aborted;
        this.set(
          name,
          {
            phase: cancelled ? 'cancelled' : 'failed',
            bytes: before?.bytes ?? 0,
            total: before?.total ?? entry.sizeBytes ?? 0,
            error: cancelled ? null : (error as Error).message,
          },
          true,
        );
        return 'stopped' as const;
      },
    );
    this.running.set(name, { controller, done });
    return this.downloads.get(name) as DownloadState;
  }

  /** Resolves when the download of `name` (if any) has ended, however it ended. */
  async settled(name: string): Promise<void> {
    await this.running.get(name)?.done;
  }

  /** Resolves when every download running now has ended. */
  async settledAll(): Promise<void> {
    await Promise.all([...this.running.values()].map((download) => download.done));
  }

  /** Stops a download; what it fetched stays in the `.part` file for a resume. */
  async cancel(name: string): Promise<void> {
    const current = this.running.get(name);
    if (!current) throw new InvalidState(`No download of ${name} is running`);
    current.controller.abort({ kind: 'cancelled' });
    // The model is in place a moment before its download ends: a cancel in that moment stopped nothing.
    if ((await current.done) === 'installed')
      throw new InvalidState(`The download of ${name} had already finished: the model is installed`);
  }

  /** Deletes an installed model and any part download. */
  async remove(name: string): Promise<boolean> {
    // A download that ended in the meantime (cancel says so) leaves a model to remove all the same.
    if (this.running.has(name)) await this.cancel(name).catch(() => {});
    this.downloads.delete(name);
    const removed = removeModel(name, this.options.dataDir);
    this.options.onChange?.(name, null);
    return removed;
  }

  /** Stops every download (at shutdown); the part files stay. */
  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.cancel(name).catch(() => {})));
  }

  private set(name: string, state: DownloadState, always: boolean): void {
    this.downloads.set(name, state);
    const now = Date.now();
    if (!always && now - this.lastTold < 200) return;
    this.lastTold = now;
    this.options.onChange?.(name, state);
  }
}

/**
 * "Use a model file from disk": the path must be absolute and name a readable
 * ggml model file (its first bytes say so). Throws BadRequest saying what is wrong.
 */
export function checkModelFile(path: string): void {
  if (!isAbsolute(path))
    throw new BadRequest(`The model file must be given by its full path (got "${path}")`);
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new BadRequest(`${path} is not a file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest(`There is no model file at ${path}`);
  }
  const head = Buffer.alloc(4);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    throw new BadRequest(`Hark cannot read ${path} (check its permissions)`);
  }
  if (size < 4 || !head.equals(GGML_MAGIC)) {
    throw new BadRequest(`${path} is not a whisper.cpp (ggml) model file`);
  }
}
