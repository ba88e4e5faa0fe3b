import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { SETTINGS_KEY } from '../src/services/settings.js';
import { runCli } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';
import { nativeWhisperRuntime } from './helpers/whisperRuntimes.js';

describe('hark doctor', () => {
  it('names the engine in use, its model and why it runs on the fallback', async () => {
    const dir = tempDir();
    const env = { HARK_NOTES_DIR: join(dir, 'notes'), HARK_DATA_DIR: join(dir, 'data') };
    const plain = await runCli(['doctor'], env);
    expect(plain.stdout).toMatch(/engine \(--engine auto\): pocketsphinx: no whisper model is installed/);
    expect(plain.stdout).toMatch(/fallback {6}pocketsphinx, because no whisper model is installed/);
    expect(plain.stdout).toMatch(/model {9}none/);

    // A saved setting is what `hark start` would use, so doctor says it too.
    const store = SqliteStore.open(join(dir, 'data', 'hark.db'));
    await store.settings.setSetting(SETTINGS_KEY, JSON.stringify({ engine: 'fake' }));
    await store.close();
    const json = JSON.parse((await runCli(['doctor', '--json'], env)).stdout);
    expect(json.engine).toMatchObject({ chosen: 'fake', model: null, fallback_reason: null });
  });

  it('says what hosts whisper: whisper.cpp built for this machine, or the slower prebuilt binding', async () => {
    const dir = tempDir();
    const env = { HARK_NOTES_DIR: join(dir, 'notes'), HARK_DATA_DIR: join(dir, 'data') };
    const native = nativeWhisperRuntime();
    const built = await runCli(['doctor'], env);
    expect(built.stdout).toContain(`whisper       whisper.cpp built for this machine (${native.binary}); `);
    const fallback = await runCli(['doctor', '--json'], { ...env, HARK_WHISPER_RUNTIME: 'binding' });
    expect(JSON.parse(fallback.stdout).whisper.runtime).toEqual({ kind: 'binding' });
    const plain = await runCli(['doctor'], { ...env, HARK_WHISPER_RUNTIME: 'binding' });
    expect(plain.stdout).toMatch(
      /whisper {7}the prebuilt @napi-rs\/whisper binding \(slower: `npm run build:whisper` builds/,
    );
  });
});
