import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { resolveConfig } from './config.js';

function config(env: NodeJS.ProcessEnv) {
  const dir = tempDir();
  return resolveConfig({ notes: join(dir, 'notes'), data: join(dir, 'data') }, env);
}

describe('the test switches', () => {
  it('are off unless the environment sets them', () => {
    expect(config({})).toMatchObject({ crashAt: null, engineLog: null, fakeChunkMs: null });
  });

  it('are read from the environment the configuration is given, not from process.env', () => {
    expect(
      config({ HARK_CRASH_AT: 'commit:2', HARK_ENGINE_LOG: '/tmp/engine.log', HARK_FAKE_CHUNK_MS: '250' }),
    ).toMatchObject({ crashAt: { point: 'commit', n: 2 }, engineLog: '/tmp/engine.log', fakeChunkMs: 250 });
  });

  it('ignore a chunk time that is not a number of milliseconds, and refuse an unknown crash point', () => {
    expect(config({ HARK_FAKE_CHUNK_MS: 'soon' }).fakeChunkMs).toBeNull();
    expect(config({ HARK_FAKE_CHUNK_MS: '-1' }).fakeChunkMs).toBeNull();
    expect(() => config({ HARK_CRASH_AT: 'nowhere' })).toThrow(/no crash point/);
  });
});
