import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { ggmlModelBytes } from './whisperModel/ggmlModel.js';

export interface ModelServer {
  /** What HARK_MODEL_BASE_URL should be. */
  baseUrl: string;
  /** A catalog file (HARK_MODEL_CATALOG) listing the served models with their sizes and SHA-1s. */
  catalogFile: string;
  /** Every request: the model asked for and its Range header. */
  requests: { url: string; range: string | undefined }[];
  /** Bytes sent so far, all requests together. */
  sent(): number;
  /** Lets held downloads go on to the end (and every later one run through). */
  release(): void;
  close(): Promise<void>;
}

export interface ModelServerOptions {
  /** The models to serve, by catalog name (default: base.en, a small synthetic ggml model). */
  models?: Record<string, Buffer>;
  /** Stop sending after this many bytes of a body until release() (a slow line that tests control). */
  holdAfter?: number;
  /** The catalog lists a wrong SHA-1 for every model (a corrupt download). */
  wrongChecksum?: boolean;
  /** Bytes per write, and a pause between writes: a slow line. */
  chunkBytes?: number;
  pauseMs?: number;
  /** Answer every request with this HTTP status and no model (a server that refuses: 503, 403). */
  refuseWith?: number;
}

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/**
 * A model server on 127.0.0.1 that serves synthetic whisper models the way
 * Hugging Face does (Range requests, 206), slowly if asked, so no test
 * downloads from the internet. Closed when the test finishes.
 */
export async function startModelServer(dir: string, options: ModelServerOptions = {}): Promise<ModelServer> {
  const models = options.models ?? { 'base.en': ggmlModelBytes({ preset: 'test' }) };
  const requests: ModelServer['requests'] = [];
  let sent = 0;
  let released = options.holdAfter === undefined;
  const waiting = new Set<() => void>();
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', range: req.headers.range });
    if (options.refuseWith !== undefined) {
      res.writeHead(options.refuseWith).end();
      return;
    }
    const name = /^\/ggml-(.+)\.bin$/.exec(req.url ?? '')?.[1];
    const blob = name ? models[name] : undefined;
    if (!blob) {
      res.writeHead(404).end();
      return;
    }
    const asked = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1];
    const start = asked ? Number(asked) : 0;
    res.writeHead(start > 0 ? 206 : 200, {
      'Content-Length': blob.length - start,
      ...(start > 0 ? { 'Content-Range': `bytes ${start}-${blob.length - 1}/${blob.length}` } : {}),
    });
    void (async () => {
      let offset = start;
      let sentHere = 0;
      while (offset < blob.length && !res.destroyed) {
        if (!released && options.holdAfter !== undefined && sentHere >= options.holdAfter) {
          await new Promise<void>((resolve) => waiting.add(resolve));
          continue;
        }
        const limit =
          !released && options.holdAfter !== undefined ? options.holdAfter - sentHere : chunkBytes;
        const piece = blob.subarray(offset, offset + Math.min(chunkBytes, limit));
        offset += piece.length;
        sentHere += piece.length;
        sent += piece.length;
        await new Promise<void>((resolve) => res.write(piece, () => resolve()));
        if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const catalogFile = join(dir, 'catalog.json');
  writeFileSync(
    catalogFile,
    JSON.stringify(
      Object.entries(models).map(([name, blob]) => ({
        name,
        sizeBytes: blob.length,
        sha1: options.wrongChecksum ? '0'.repeat(40) : sha1(blob),
      })),
    ),
  );
  const release = () => {
    released = true;
    for (const resume of waiting) resume();
    waiting.clear();
  };
  const close = async () => {
    release();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  onTestFinished(close);
  return { baseUrl: `http://127.0.0.1:${port}`, catalogFile, requests, sent: () => sent, release, close };
}

/** The environment that points Hark's catalog and downloads at a model server. */
export function modelServerEnv(server: ModelServer): Record<string, string> {
  return { HARK_MODEL_BASE_URL: server.baseUrl, HARK_MODEL_CATALOG: server.catalogFile };
}
