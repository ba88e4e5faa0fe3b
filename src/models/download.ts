import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { BadRequest, HarkError } from '../core/errors.js';
import { abortedError } from '../transcription/abortable.js';
import { type CatalogModel, catalogModel, MODEL_CATALOG, modelUrl } from './catalog.js';
import { modelPath, modelsDir, partialPath } from './store.js';

export interface PullOptions {
  /** Bytes on disk so far (counting a resumed part) and the size of the whole file. */
  onProgress?: (bytes: number, total: number) => void;
  signal?: AbortSignal;
  /** Where the `ggml-<name>.bin` files are served; default $HARK_MODEL_BASE_URL, else Hugging Face. */
  baseUrl?: string;
  /** The models Hark knows, with their sizes and checksums (tests serve their own). */
  catalog?: readonly CatalogModel[];
}

export interface PullResult {
  path: string;
  bytes: number;
  /** Bytes that an earlier, interrupted download had already fetched. */
  resumedFrom: number;
  alreadyInstalled: boolean;
}

/** A download that failed in a way the user should hear about in plain words (one line, no stack). */
export class ModelDownloadFailed extends HarkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('download_failed', message, { retryable: true, cause: options?.cause });
    this.name = 'ModelDownloadFailed';
  }
}

/** What the network said, in plain words: fetch only says "fetch failed" and hides the code in its cause. */
const NETWORK_TROUBLE: Record<string, string> = {
  ENOTFOUND: 'the server name could not be found (offline?)',
  EAI_AGAIN: 'the server name could not be looked up (offline?)',
  ECONNREFUSED: 'the server refused the connection',
  ECONNRESET: 'the connection was cut',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable (offline?)',
  EHOSTUNREACH: 'the server is unreachable',
};

/** The plain reason a request failed, from the system error code fetch hides in its causes. */
export function networkTrouble(error: unknown): string {
  let innermost = error;
  for (let cause = error, depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_TROUBLE[code]) return `${NETWORK_TROUBLE[code]} (${code})`;
    innermost = cause;
    // A name with several addresses fails with an AggregateError: its first error says why.
    cause = (cause as { cause?: unknown }).cause ?? (cause as { errors?: unknown[] }).errors?.[0];
  }
  // "fetch failed" says nothing; the deepest cause ("bad port", a TLS error) does.
  return innermost instanceof Error ? innermost.message : String(innermost);
}

/**
 * Downloads a catalog model into `<dataDir>/models`. The bytes go to a `.part`
 * file first; an interrupted download resumes from where it stopped (an HTTP
 * Range request), and the file only takes its real name, atomically, once its
 * size and hashes (SHA-1, and SHA-256 where the catalog has it) match. A model
 * whose exact size no source gives is held to the size the server announces
 * (Content-Length, or the total of Content-Range). A mismatch deletes the part.
 */
export async function pullModel(
  name: string,
  dataDir: string,
  options: PullOptions = {},
): Promise<PullResult> {
  const entry = catalogModel(name, options.catalog ?? MODEL_CATALOG);
  if (!entry) throw new BadRequest(`Unknown model ${JSON.stringify(name)}: see \`hark models list\``);
  const path = modelPath(name, dataDir);
  const installed = await sizeOf(path);
  // Only a verified download is renamed into place, so with no size to compare, being there is enough.
  if (installed !== null && (entry.sizeBytes === null || installed === entry.sizeBytes))
    return { path, bytes: installed, resumedFrom: 0, alreadyInstalled: true };

  await mkdir(modelsDir(dataDir), { recursive: true });
  const part = partialPath(name, dataDir);
  let kept = (await sizeOf(part)) ?? 0;
  if (entry.sizeBytes !== null && kept > entry.sizeBytes) {
    await rm(part, { force: true });
    kept = 0;
  }
  const fetched =
    kept > 0 && kept === entry.sizeBytes
      ? { bytes: kept, resumedFrom: kept, expected: entry.sizeBytes }
      : await fetchInto(part, modelUrl(name, options.baseUrl), entry, kept, options);
  await verify(part, entry, fetched.bytes, fetched.expected);
  await rename(part, path);
  return { path, bytes: fetched.bytes, resumedFrom: fetched.resumedFrom, alreadyInstalled: false };
}

/**
 * Fetches the rest of the file into `part`; returns the bytes it then holds, where this download
 * began, and the size the file must have (the catalog's, else the server's; null if neither says).
 */
async function fetchInto(
  part: string,
  url: string,
  entry: CatalogModel,
  offset: number,
  options: PullOptions,
): Promise<{ bytes: number; resumedFrom: number; expected: number | null }> {
  const response = await request(url, offset, options.signal);
  // Asked to resume a part that is already whole (unknown size): the hashes decide.
  if (response.status === 416) return { bytes: offset, resumedFrom: offset, expected: null };
  // A server that ignores Range sends the whole file again: start over.
  const start = response.status === 206 ? offset : 0;
  const expected = entry.sizeBytes ?? announcedSize(response, start);
  const total = expected ?? 0;
  const file = await open(part, start > 0 ? 'a' : 'w');
  let bytes = start;
  try {
    options.onProgress?.(bytes, total);
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      await file.write(chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes, total);
    }
    await file.sync();
  } catch (error) {
    if (options.signal?.aborted) throw abortedError(options.signal);
    throw new ModelDownloadFailed(
      `The download of ${entry.name} stopped at ${bytes} of ${expected ?? 'an unknown number of'} bytes (run the command again to resume): ${networkTrouble(error)}`,
      { cause: error },
    );
  } finally {
    await file.close();
  }
  return { bytes, resumedFrom: start, expected };
}

/** The whole file's size as the server states it: Content-Range's total, or the offset plus Content-Length. */
export function announcedSize(response: Pick<Response, 'status' | 'headers'>, start: number): number | null {
  if (response.status === 206) {
    const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (total !== undefined) return Number(total);
  }
  const length = response.headers.get('content-length');
  return length !== null && /^\d+$/.test(length) ? start + Number(length) : null;
}

async function request(url: string, offset: number, signal: AbortSignal | undefined): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal);
    throw new ModelDownloadFailed(
      `could not download ${url.slice(url.lastIndexOf('/') + 1)} from ${new URL(url).host}: ${networkTrouble(error)}`,
      {
        cause: error,
      },
    );
  }
  if (response.status === 200 || response.status === 206) {
    if (response.status === 206) assertRangeStart(response, offset, url);
    return response;
  }
  if (response.status === 416 && offset > 0) {
    await response.body?.cancel();
    return response;
  }
  await response.body?.cancel();
  throw new ModelDownloadFailed(`${url} answered HTTP ${response.status} ${response.statusText}`);
}

function assertRangeStart(response: Response, offset: number, url: string): void {
  const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
  if (Number(start) !== offset) {
    throw new ModelDownloadFailed(`${url} resumed at the wrong place (Content-Range: ${start ?? 'missing'})`);
  }
}

async function verify(
  part: string,
  entry: CatalogModel,
  bytes: number,
  expected: number | null,
): Promise<void> {
  if (expected !== null && bytes < expected) {
    throw new ModelDownloadFailed(
      `The download of ${entry.name} ended early, at ${bytes} of ${expected} bytes (run the command again to resume).`,
    );
  }
  const problem =
    expected !== null && bytes > expected
      ? `it has ${bytes} bytes, not ${expected}`
      : await hashesOf(part).then(({ sha1, sha256 }) => {
          if (sha1 !== entry.sha1) return `its SHA-1 is ${sha1}, not ${entry.sha1}`;
          if (entry.sha256 && sha256 !== entry.sha256) return `its SHA-256 is ${sha256}, not ${entry.sha256}`;
          return null;
        });
  if (!problem) return;
  await rm(part, { force: true });
  throw new ModelDownloadFailed(`The download of ${entry.name} is corrupt (${problem}); it was deleted.`);
}

/** SHA-1 and SHA-256 in one read of the file. */
async function hashesOf(path: string): Promise<{ sha1: string; sha256: string }> {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    sha1.update(chunk as Buffer);
    sha256.update(chunk as Buffer);
  }
  return { sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}
