import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Aborted, BadRequest } from '../core/errors.js';
import { type CatalogModel, DEFAULT_BASE_URL, MODEL_CATALOG, modelUrl } from './catalog.js';
import { ModelDownloadFailed, pullModel } from './download.js';
import { listModels, modelPath, partialPath, removeModel, resolveModel } from './store.js';

const blob = randomBytes(3 * 1024 * 1024 + 123);
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
/** The catalog these tests serve: one model, whose bytes are `blob`. */
const catalog: CatalogModel[] = [
  { name: 'tiny.en', sizeBytes: blob.length, sha1: sha1(blob), multilingual: false, languages: 'en' },
];

interface Served {
  baseUrl: string;
  requests: { url: string; range: string | undefined; sentBytes: number }[];
}

let dataDir: string;
let server: Server | null = null;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hark-models-'));
});

afterEach(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = null;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** A model server on 127.0.0.1 that honours Range (unless told not to) and can drop the first download midway. */
async function serve(behaviour: { cutFirstAfter?: number; ignoreRange?: boolean } = {}): Promise<Served> {
  const requests: Served['requests'] = [];
  server = createServer((req, res) => {
    const record = { url: req.url ?? '', range: req.headers.range, sentBytes: 0 };
    requests.push(record);
    if (req.url !== '/models/ggml-tiny.en.bin') {
      res.writeHead(404).end();
      return;
    }
    const asked = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1];
    const start = asked && !behaviour.ignoreRange ? Number(asked) : 0;
    const body = blob.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, {
      'Content-Length': body.length,
      ...(start > 0 ? { 'Content-Range': `bytes ${start}-${blob.length - 1}/${blob.length}` } : {}),
    });
    const cut = requests.length === 1 ? behaviour.cutFirstAfter : undefined;
    const sent = cut === undefined ? body : body.subarray(0, cut);
    record.sentBytes = sent.length;
    if (cut === undefined) res.end(sent);
    else res.write(sent, () => res.destroy());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/models`, requests };
}

describe('pullModel', () => {
  it('downloads a model with progress, verifies it, and installs it under its own name', async () => {
    const { baseUrl, requests } = await serve();
    const progress: [number, number][] = [];

    const result = await pullModel('tiny.en', dataDir, {
      baseUrl,
      catalog,
      onProgress: (bytes, total) => progress.push([bytes, total]),
    });

    expect(result).toEqual({
      path: modelPath('tiny.en', dataDir),
      bytes: blob.length,
      resumedFrom: 0,
      alreadyInstalled: false,
    });
    expect(readFileSync(result.path).equals(blob)).toBe(true);
    expect(existsSync(partialPath('tiny.en', dataDir))).toBe(false);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual([blob.length, blob.length]);
    expect(progress.map(([bytes]) => bytes)).toEqual(progress.map(([bytes]) => bytes).sort((a, b) => a - b));

    const again = await pullModel('tiny.en', dataDir, { baseUrl, catalog });
    expect(again.alreadyInstalled).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('resumes an interrupted download with a Range request', async () => {
    const { baseUrl, requests } = await serve({ cutFirstAfter: 1024 * 1024 });

    const interrupted = await pullModel('tiny.en', dataDir, { baseUrl, catalog }).catch(
      (error: unknown) => error,
    );
    expect(interrupted).toBeInstanceOf(ModelDownloadFailed);
    expect((interrupted as Error).message).toMatch(/resume/);
    const kept = statSync(partialPath('tiny.en', dataDir)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(blob.length);
    expect(listModels(dataDir, catalog)[0]).toMatchObject({ installed: false, partialBytes: kept });

    const result = await pullModel('tiny.en', dataDir, { baseUrl, catalog });

    expect(requests[1]?.range).toBe(`bytes=${kept}-`);
    expect(requests[1]?.sentBytes).toBe(blob.length - kept);
    expect(result).toMatchObject({ resumedFrom: kept, bytes: blob.length });
    expect(readFileSync(result.path).equals(blob)).toBe(true);
  });

  it('starts over when the server ignores the Range request', async () => {
    const { baseUrl, requests } = await serve({ cutFirstAfter: 700_000, ignoreRange: true });
    await expect(pullModel('tiny.en', dataDir, { baseUrl, catalog })).rejects.toThrow(ModelDownloadFailed);

    const result = await pullModel('tiny.en', dataDir, { baseUrl, catalog });
    expect(requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(result.resumedFrom).toBe(0);
    expect(readFileSync(result.path).equals(blob)).toBe(true);
  });

  it('refuses a download whose checksum does not match, and deletes it', async () => {
    const { baseUrl } = await serve();
    const wrong = [{ ...catalog[0], sha1: '0'.repeat(40) } as CatalogModel];

    const error = await pullModel('tiny.en', dataDir, { baseUrl, catalog: wrong }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(ModelDownloadFailed);
    expect((error as Error).message).toMatch(/corrupt.*SHA-1.*deleted/);
    expect(existsSync(partialPath('tiny.en', dataDir))).toBe(false);
    expect(existsSync(modelPath('tiny.en', dataDir))).toBe(false);
  });

  it("downloads a model whose size the catalog does not know: the server's size and both hashes decide", async () => {
    const { baseUrl, requests } = await serve({ cutFirstAfter: 1024 * 1024 });
    const sha256 = createHash('sha256').update(blob).digest('hex');
    const sizeless = [{ ...catalog[0], sizeBytes: null, sha256 } as CatalogModel];
    const progress: [number, number][] = [];

    const interrupted = await pullModel('tiny.en', dataDir, { baseUrl, catalog: sizeless }).catch(
      (error: unknown) => error,
    );
    expect((interrupted as Error).message).toMatch(new RegExp(`stopped at \\d+ of ${blob.length} bytes`));
    const result = await pullModel('tiny.en', dataDir, {
      baseUrl,
      catalog: sizeless,
      onProgress: (bytes, total) => progress.push([bytes, total]),
    });
    expect(requests[1]?.range).toMatch(/^bytes=\d+-$/);
    // The total is Content-Range's, from the first progress report on.
    expect(new Set(progress.map(([, total]) => total))).toEqual(new Set([blob.length]));
    expect(readFileSync(result.path).equals(blob)).toBe(true);
    expect((await pullModel('tiny.en', dataDir, { baseUrl, catalog: sizeless })).alreadyInstalled).toBe(true);
  });

  it('refuses a download whose SHA-256 does not match even when its SHA-1 does', async () => {
    const { baseUrl } = await serve();
    const wrong = [{ ...catalog[0], sizeBytes: null, sha256: 'f'.repeat(64) } as CatalogModel];
    const error = await pullModel('tiny.en', dataDir, { baseUrl, catalog: wrong }).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toMatch(/corrupt.*SHA-256.*deleted/);
    expect(existsSync(partialPath('tiny.en', dataDir))).toBe(false);
    expect(existsSync(modelPath('tiny.en', dataDir))).toBe(false);
  });

  it('stops when aborted and keeps what it has for the next attempt', async () => {
    const { baseUrl } = await serve();
    const controller = new AbortController();
    const pulling = pullModel('tiny.en', dataDir, {
      baseUrl,
      catalog,
      signal: controller.signal,
      onProgress: (bytes) => {
        if (bytes > 0) controller.abort({ kind: 'cancelled' });
      },
    });
    await expect(pulling).rejects.toBeInstanceOf(Aborted);
    expect(existsSync(modelPath('tiny.en', dataDir))).toBe(false);
    expect(existsSync(partialPath('tiny.en', dataDir))).toBe(true);
  });

  it('explains a missing file on the server and an unknown model name', async () => {
    const { baseUrl } = await serve();
    const missing = [{ ...catalog[0], name: 'base.en' } as CatalogModel];
    await expect(pullModel('base.en', dataDir, { baseUrl, catalog: missing })).rejects.toThrow(/HTTP 404/);
    await expect(pullModel('huge.xl', dataDir, { baseUrl, catalog })).rejects.toBeInstanceOf(BadRequest);
  });
});

describe('installed models', () => {
  function install(name: string, bytes: Uint8Array = blob): string {
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    writeFileSync(modelPath(name, dataDir), bytes);
    return modelPath(name, dataDir);
  }

  it('lists every catalog model, installed or not, and model files the user added', () => {
    install('small.en', Buffer.from('not really small'));
    install('my-finetune');
    const listed = listModels(dataDir);

    expect(listed.map((model) => model.name)).toEqual([
      ...MODEL_CATALOG.map((model) => model.name),
      'my-finetune',
    ]);
    expect(listed.find((model) => model.name === 'small.en')).toMatchObject({
      installed: true,
      sizeBytes: 16,
      known: true,
      multilingual: false,
    });
    expect(listed.find((model) => model.name === 'large-v3')).toMatchObject({
      installed: false,
      sizeBytes: 3_095_033_483,
      partialBytes: 0,
      multilingual: true,
    });
    expect(listed.find((model) => model.name === 'my-finetune')).toMatchObject({
      installed: true,
      known: false,
    });
  });

  it('removes a model and its unfinished download', () => {
    install('base.en');
    writeFileSync(partialPath('base.en', dataDir), 'half');

    expect(removeModel('base.en', dataDir)).toBe(true);
    expect(existsSync(modelPath('base.en', dataDir))).toBe(false);
    expect(existsSync(partialPath('base.en', dataDir))).toBe(false);
    expect(removeModel('base.en', dataDir)).toBe(false);
    expect(() => removeModel('../../etc/passwd', dataDir)).toThrow(BadRequest);
  });

  it('resolves the model to use: explicit path, $HARK_MODEL, a name, the default, any installed one', () => {
    const env = {};
    expect(resolveModel({ dataDir, env })).toBeNull();
    const tiny = install('tiny');
    expect(resolveModel({ dataDir, env })).toBe(tiny);
    const base = install('base.en');
    expect(resolveModel({ dataDir, env })).toBe(base);
    expect(resolveModel({ dataDir, env, name: 'tiny' })).toBe(tiny);
    expect(resolveModel({ dataDir, env, name: 'medium' })).toBeNull();
    expect(resolveModel({ dataDir, env: { HARK_MODEL: 'tiny' } })).toBe(tiny);
    expect(resolveModel({ dataDir, env: { HARK_MODEL: '/models/own.bin' }, name: 'tiny' })).toBe(
      '/models/own.bin',
    );
    expect(
      resolveModel({ dataDir, env: { HARK_MODEL: '/models/own.bin' }, modelPath: '/cli/flag.bin' }),
    ).toBe('/cli/flag.bin');
  });
});

describe('the catalog', () => {
  it('has the whisper.cpp models with sizes and SHA-1 checksums, and the quantized ones with SHA-256 too', () => {
    const names = MODEL_CATALOG.map((model) => model.name);
    for (const name of [
      'tiny.en',
      'base.en',
      'small.en',
      'medium.en',
      'tiny',
      'base',
      'small',
      'medium',
      'large-v3',
      'large-v3-turbo',
      // Quantized (small has q5_1, not q5_0, on Hugging Face).
      'small-q5_1',
      'small-q8_0',
      'medium-q5_0',
      'medium-q8_0',
      'large-v3-turbo-q5_0',
      'large-v3-turbo-q8_0',
    ]) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const model of MODEL_CATALOG) {
      expect(model.name).toMatch(/^[a-z0-9.-]+?(?:-q[0-9]_[0-9])?$/);
      expect(model.sha1).toMatch(/^[0-9a-f]{40}$/);
      if (model.sizeBytes !== null) {
        expect(Number.isSafeInteger(model.sizeBytes)).toBe(true);
        expect(model.sizeBytes).toBeGreaterThan(70_000_000);
      }
      expect(model.languages).toBe(/\.en(?:$|-)/.test(model.name) ? 'en' : 'multilingual');
      expect(model.multilingual).toBe(model.languages === 'multilingual');
      const quantized = /-q[0-9]_[0-9]$/.test(model.name);
      if (quantized) {
        expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
        // Smaller than the model it was quantized from, where both sizes are known.
        const full = MODEL_CATALOG.find((other) => other.name === model.name.replace(/-q[0-9]_[0-9]$/, ''));
        if (model.sizeBytes !== null) expect(model.sizeBytes).toBeLessThan(full?.sizeBytes ?? 0);
        expect(model.speed).toBe(full?.speed);
      } else {
        // Every full-size model has its exact size; only some quantized ones wait for the server's.
        expect(model.sizeBytes).not.toBeNull();
      }
    }
    expect(new Set(MODEL_CATALOG.map((model) => model.sha1)).size).toBe(MODEL_CATALOG.length);
  });

  it('downloads from Hugging Face unless told otherwise', () => {
    expect(modelUrl('base.en', undefined, {})).toBe(`${DEFAULT_BASE_URL}/ggml-base.en.bin`);
    expect(DEFAULT_BASE_URL).toBe('https://huggingface.co/ggerganov/whisper.cpp/resolve/main');
    expect(modelUrl('base.en', undefined, { HARK_MODEL_BASE_URL: 'http://127.0.0.1:9/m/' })).toBe(
      'http://127.0.0.1:9/m/ggml-base.en.bin',
    );
    expect(modelUrl('tiny', 'http://mirror/x', { HARK_MODEL_BASE_URL: 'http://ignored' })).toBe(
      'http://mirror/x/ggml-tiny.bin',
    );
  });
});
