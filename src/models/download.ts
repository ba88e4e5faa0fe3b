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
 * size and SHA-1 match the catalog. A mismatch deletes the part.
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
  if (installed === entry.sizeBytes)
    return { path, bytes: installed, resumedFrom: 0, alreadyInstalled: true };

  await mkdir(modelsDir(dataDir), { recursive: true });
  const part = partialPath(name, dataDir);
  let kept = (await sizeOf(part)) ?? 0;
  if (kept > entry.sizeBytes) {
    await rm(part, { force: true });
    kept = 0;
  }
  const fetched =
    kept === entry.sizeBytes
      ? { bytes: kept, resumedFrom: kept }
      : await fetchInto(part, modelUrl(name, options.baseUrl), entry, kept, options);
  await verify(part, entry, fetched.bytes);
  await rename(part, path);
  return { path, ...fetched, alreadyInstalled: false };
}

/** Fetches the rest of the file into `part`; returns the bytes it then holds, and where this download began. */
async function fetchInto(
  part: string,
  url: string,
  entry: CatalogModel,
  offset: number,
  options: PullOptions,
): Promise<{ bytes: number; resumedFrom: number }> {
  const response = await request(url, offset, options.signal);
  // A server that ignores Range sends the whole file again: start over.
  const start = response.status === 206 ? offset : 0;
  const file = await open(part, start > 0 ? 'a' : 'w');
  let bytes = start;
  try {
    options.onProgress?.(bytes, entry.sizeBytes);
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      await file.write(chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes, entry.sizeBytes);
    }
    await file.sync();
  } catch (error) {
    if (options.signal?.aborted) throw abortedError(options.signal);
    throw new ModelDownloadFailed(
      `The download of ${entry.name} stopped at ${bytes} of ${entry.sizeBytes} bytes (run the command again to resume): ${networkTrouble(error)}`,
      { cause: error },
    );
  } finally {
    await file.close();
  }
  return { bytes, resumedFrom: start };
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
  await response.body?.cancel();
  throw new ModelDownloadFailed(`${url} answered HTTP ${response.status} ${response.statusText}`);
}

function assertRangeStart(response: Response, offset: number, url: string): void {
  const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
  if (Number(start) !== offset) {
    throw new ModelDownloadFailed(`${url} resumed at the wrong place (Content-Range: ${start ?? 'missing'})`);
  }
}

async function verify(part: string, entry: CatalogModel, bytes: number): Promise<void> {
  if (bytes < entry.sizeBytes) {
    throw new ModelDownloadFailed(
      `The download of ${entry.name} ended early, at ${bytes} of ${entry.sizeBytes} bytes (run the command again to resume).`,
    );
  }
  const problem =
    bytes > entry.sizeBytes
      ? `it has ${bytes} bytes, not ${entry.sizeBytes}`
      : await sha1Of(part).then((sha1) =>
          sha1 === entry.sha1 ? null : `its SHA-1 is ${sha1}, not ${entry.sha1}`,
        );
  if (!problem) return;
  await rm(part, { force: true });
  throw new ModelDownloadFailed(`The download of ${entry.name} is corrupt (${problem}); it was deleted.`);
}

async function sha1Of(path: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}
