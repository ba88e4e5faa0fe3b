import { describe, expect, it } from 'vitest';
import { modelServerEnv, startModelServer } from './helpers/modelServer.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';
import { ggmlModelBytes } from './helpers/whisperModel/ggmlModel.js';

interface ModelRow {
  name: string;
  installed: boolean;
  partial_bytes: number;
  in_use: boolean;
  download: { phase: string; bytes: number; total: number; error: string | null } | null;
}

const models = async (t: TestApp) => (await t.request({ url: '/api/models' })).json().models as ModelRow[];
const row = async (t: TestApp, name: string) =>
  (await models(t)).find((model) => model.name === name) as ModelRow;
const post = (t: TestApp, url: string) => t.request({ method: 'POST', url });

describe('model downloads through the API (a local model server, never the internet)', () => {
  it('downloads with progress, verifies, and the engines switch to it', async () => {
    const dir = tempDir();
    const server = await startModelServer(dir, { chunkBytes: 256 * 1024, pauseMs: 5 });
    const t = await startTestApp({ dir, engine: 'configured', env: modelServerEnv(server) });
    expect((await t.request({ url: '/api/health' })).json().engine).toBe('pocketsphinx');
    const started = await post(t, '/api/models/base.en/download');
    expect(started.statusCode).toBe(202);
    expect(started.json().download.phase).toBe('downloading');
    const done = await eventually(async () => {
      const model = await row(t, 'base.en');
      return model.installed && model.download === null && model;
    }, 'the download to finish');
    expect(done.in_use).toBe(true);
    const health = (await t.request({ url: '/api/health' })).json();
    expect(health).toMatchObject({ engine: 'whisper:base.en', fallback_reason: null });
  });

  it('cancels a download, keeps the part, and resumes it with a Range request', async () => {
    const dir = tempDir();
    const holdAfter = 1024 * 1024;
    const server = await startModelServer(dir, { holdAfter });
    const t = await startTestApp({ dir, engine: 'configured', env: modelServerEnv(server) });
    await post(t, '/api/models/base.en/download');
    await eventually(
      async () => ((await row(t, 'base.en')).download?.bytes ?? 0) >= holdAfter,
      'the first MB',
    );
    const cancelled = await post(t, '/api/models/base.en/cancel');
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().download.phase).toBe('cancelled');
    const kept = await row(t, 'base.en');
    expect(kept.installed).toBe(false);
    expect(kept.partial_bytes).toBe(holdAfter);

    server.release();
    await post(t, '/api/models/base.en/download');
    await eventually(async () => (await row(t, 'base.en')).installed, 'the resumed download');
    expect(server.requests.map((request) => request.range)).toEqual([undefined, `bytes=${holdAfter}-`]);
    // A second cancel has nothing to stop.
    expect((await post(t, '/api/models/base.en/cancel')).statusCode).toBe(409);
  });

  it('deletes a download whose checksum does not match, says why, and stays on the fallback', async () => {
    const dir = tempDir();
    const server = await startModelServer(dir, { wrongChecksum: true });
    const t = await startTestApp({ dir, engine: 'configured', env: modelServerEnv(server) });
    await post(t, '/api/models/base.en/download');
    const failed = await eventually(async () => {
      const model = await row(t, 'base.en');
      return model.download?.phase === 'failed' && model;
    }, 'the failure');
    expect(failed.download?.error).toMatch(
      /is corrupt \(its SHA-1 is [0-9a-f]{40}, not 0{40}\); it was deleted/,
    );
    expect(failed).toMatchObject({ installed: false, partial_bytes: 0 });
    const health = (await t.request({ url: '/api/health' })).json();
    expect(health.engine).toBe('pocketsphinx');
    expect(health.fallback_reason).toMatch(
      /^could not download the base\.en model \(The download of base\.en is corrupt/,
    );
  });

  it('removes a model, but not the one in use', async () => {
    const dir = tempDir();
    const server = await startModelServer(dir, {
      models: {
        'base.en': ggmlModelBytes({ preset: 'test' }),
        tiny: ggmlModelBytes({ preset: 'test', multilingual: true }),
      },
    });
    const t = await startTestApp({ dir, engine: 'configured', env: modelServerEnv(server) });
    await post(t, '/api/models/base.en/download');
    await post(t, '/api/models/tiny/download');
    await eventually(async () => (await models(t)).every((model) => model.installed), 'both downloads');
    const refused = await t.request({ method: 'DELETE', url: '/api/models/base.en' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/base\.en is in use for recordings: choose another model first/);
    const removed = await t.request({ method: 'DELETE', url: '/api/models/tiny' });
    expect(removed.json()).toEqual({ name: 'tiny', removed: true });
    expect((await row(t, 'tiny')).installed).toBe(false);
    expect((await post(t, '/api/models/nonesuch/download')).statusCode).toBe(400);
  });
});
