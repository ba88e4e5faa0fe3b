import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { captureLog } from '../../tests/helpers/captureLog.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { writeGgmlModel } from '../../tests/helpers/whisperModel/ggmlModel.js';
import { modelPath } from '../models/store.js';
import { resolveConfig } from './config.js';
import { selectEngine } from './engines.js';

function config(options: Record<string, string> = {}) {
  const dir = tempDir();
  return resolveConfig({ notes: join(dir, 'notes'), data: join(dir, 'data'), ...options }, {});
}

async function select(cfg: ReturnType<typeof config>, pull = false) {
  const { log, lines: logged } = captureLog();
  const selection = await selectEngine(cfg, log, { pullIfMissing: pull });
  onTestFinished(() => selection.engine?.dispose());
  return { ...selection, logged };
}

describe('selectEngine', () => {
  it('auto: uses whisper when a model is installed', async () => {
    const cfg = config();
    mkdirSync(join(cfg.dataDir, 'models'), { recursive: true });
    writeGgmlModel(modelPath('base.en', cfg.dataDir), { preset: 'test' });
    const { engine, reason } = await select(cfg, true);
    expect(engine?.name).toBe('whisper:base.en');
    expect(reason).toMatch(/whisper with .*ggml-base\.en\.bin/);
  });

  it('auto: when the first download fails (offline), says so and falls back to pocketsphinx', async () => {
    const previous = process.env.HARK_MODEL_BASE_URL;
    process.env.HARK_MODEL_BASE_URL = 'http://127.0.0.1:9'; // the discard port: nothing listens
    onTestFinished(() => {
      if (previous === undefined) delete process.env.HARK_MODEL_BASE_URL;
      else process.env.HARK_MODEL_BASE_URL = previous;
    });
    const { engine, reason, logged } = await select(config(), true);
    expect(engine?.name).toBe('pocketsphinx');
    expect(reason).toMatch(
      /could not download the base\.en model .*; using pocketsphinx, the offline fallback/,
    );
    expect(logged.join('\n')).toMatch(/`hark models pull base\.en` tries again/);
    // No download began, so none is announced (it used to be, on every offline start).
    expect(logged.join('\n')).not.toMatch(/downloading base\.en/);
  });

  it('names what is missing when the asked-for engine cannot run', async () => {
    expect(await select(config({ engine: 'whisper' }))).toMatchObject({
      engine: null,
      reason: 'no whisper model: run `hark models pull base.en` or pass --model PATH',
    });
    expect(await select(config({ engine: 'command' }))).toMatchObject({
      engine: null,
      reason: '--engine command needs --command "<template>"',
    });
  });

  it('builds the command engine from its template, and the others by name', async () => {
    expect((await select(config({ engine: 'command', command: 'my-asr {input}' }))).engine?.name).toMatch(
      /^command/,
    );
    expect((await select(config({ engine: 'pocketsphinx' }))).engine?.name).toBe('pocketsphinx');
    expect((await select(config({ engine: 'fake' }))).engine?.name).toBe('fake');
  });
});

describe('selectEngine with --language and --translate', () => {
  function withModel(name: string, options: Record<string, string | boolean>) {
    const dir = tempDir();
    const cfg = resolveConfig(
      {
        notes: join(dir, 'notes'),
        data: join(dir, 'data'),
        engine: 'whisper',
        'model-name': name,
        ...options,
      },
      {},
    );
    mkdirSync(join(cfg.dataDir, 'models'), { recursive: true });
    writeGgmlModel(modelPath(name, cfg.dataDir), { preset: 'test' });
    return cfg;
  }

  it('refuses another language on an English-only model before any work, naming the multilingual one', async () => {
    await expect(select(withModel('base.en', { language: 'de' }))).rejects.toThrow(
      /base\.en is English-only.*multilingual model base /,
    );
    await expect(select(withModel('small.en', { translate: true }))).rejects.toThrow(/cannot translate/);
  });

  it('says pocketsphinx is English-only', async () => {
    await expect(select(config({ engine: 'pocketsphinx', language: 'fr' }))).rejects.toThrow(
      /pocketsphinx is English-only/,
    );
  });

  it('builds whisper with a multilingual model and a pinned language', async () => {
    const { engine } = await select(withModel('base', { language: 'de' }));
    expect(engine?.name).toBe('whisper:base');
  });
});
