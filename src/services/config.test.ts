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

describe('--language and --translate', () => {
  const withFlags = (raw: Record<string, string | boolean>, env: NodeJS.ProcessEnv = {}) => {
    const dir = tempDir();
    return resolveConfig({ notes: join(dir, 'notes'), data: join(dir, 'data'), ...raw }, env);
  };

  it('leave the engine its default when not given', () => {
    expect(config({})).toMatchObject({ language: null, translate: false });
  });

  it('are read from the flags, which win over HARK_LANGUAGE and HARK_TRANSLATE', () => {
    expect(config({ HARK_LANGUAGE: 'de', HARK_TRANSLATE: '1' })).toMatchObject({
      language: 'de',
      translate: true,
    });
    expect(withFlags({ language: 'auto', translate: true }, { HARK_LANGUAGE: 'de' })).toMatchObject({
      language: 'auto',
      translate: true,
    });
    expect(withFlags({ language: 'French' }).language).toBe('fr');
  });

  it('refuse a code whisper does not know, listing the ones it does', () => {
    expect(() => withFlags({ language: 'xx' })).toThrow(/--language must be auto or a language code.*en, zh/);
  });
});

describe('--store and HARK_DATABASE_URL', () => {
  const withStore = (raw: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
    const dir = tempDir();
    return resolveConfig({ notes: join(dir, 'notes'), data: join(dir, 'data'), ...raw }, env);
  };

  it('keep the queue in SQLite in the data folder when not given', () => {
    const config = withStore({});
    expect(config.store).toEqual({ kind: 'sqlite', path: config.dbPath });
    expect(config.dbPath).toBe(join(config.dataDir, 'hark.db'));
  });

  it('open PostgreSQL for a postgres:// or postgresql:// URL, the flag winning over the environment', () => {
    expect(withStore({}, { HARK_DATABASE_URL: 'postgresql://hark@db.lan/hark' }).store).toEqual({
      kind: 'postgres',
      url: 'postgresql://hark@db.lan/hark',
    });
    expect(
      withStore({ store: 'postgres://me@127.0.0.1:5433/notes' }, { HARK_DATABASE_URL: 'postgres://x@y/z' })
        .store,
    ).toEqual({ kind: 'postgres', url: 'postgres://me@127.0.0.1:5433/notes' });
  });

  it('keep the data folder per node with PostgreSQL (its lock and models stay there)', () => {
    const config = withStore({ store: 'postgres://me@db/hark' });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('refuse anything else in one line, never showing a password', () => {
    expect(() => withStore({ store: 'mysql://me@db/hark' })).toThrow(
      /^--store must be a PostgreSQL URL such as postgres:\/\/user@host\/database \(got "mysql:\/\/me@db\/hark"\)/,
    );
    expect(() => withStore({ store: '/tmp/hark.db' })).toThrow(/--store must be a PostgreSQL URL/);
    expect(() => withStore({ store: 'postgres://me:secret@/hark' })).toThrow(
      /got "postgres:\/\/me:\*\*\*@\/hark"/,
    );
  });
});

describe('--lan and --lan-address', () => {
  const flags = (raw: Record<string, string | boolean>, env: NodeJS.ProcessEnv = {}) => {
    const dir = tempDir();
    return resolveConfig(raw, {
      ...env,
      HARK_NOTES_DIR: join(dir, 'notes'),
      HARK_DATA_DIR: join(dir, 'data'),
    });
  };
  it('are off unless asked for; an address implies --lan; the environment works too', () => {
    expect(flags({})).toMatchObject({ lan: false, lanAddress: null });
    expect(flags({ lan: true })).toMatchObject({ lan: true, lanAddress: null });
    expect(flags({ 'lan-address': '127.0.0.2' })).toMatchObject({ lan: true, lanAddress: '127.0.0.2' });
    expect(flags({}, { HARK_LAN: '1' })).toMatchObject({ lan: true });
    expect(flags({}, { HARK_LAN_ADDRESS: '10.0.0.7' })).toMatchObject({ lan: true, lanAddress: '10.0.0.7' });
  });
  it('refuse a wildcard --host, whose plain HTTP would be on the same addresses', () => {
    expect(() => flags({ lan: true, host: '0.0.0.0' })).toThrow(/--lan/);
  });
});

describe('--parallel', () => {
  const withFlags = (raw: Record<string, string | boolean>, env: NodeJS.ProcessEnv = {}) => {
    const dir = tempDir();
    return resolveConfig({ notes: join(dir, 'notes'), data: join(dir, 'data'), ...raw }, env);
  };

  it('is 1, the single worker, unless asked', () => {
    expect(config({}).parallel).toBe(1);
  });

  it('is read from the flag, which wins over HARK_PARALLEL', () => {
    expect(config({ HARK_PARALLEL: '3' }).parallel).toBe(3);
    expect(withFlags({ parallel: '2' }, { HARK_PARALLEL: '3' }).parallel).toBe(2);
  });

  it('refuses what is not a whole number from 1 to 16, before any work', () => {
    for (const bad of ['0', '17', 'two', '1.5']) {
      expect(() => withFlags({ parallel: bad })).toThrow(/--parallel must be a whole number from 1 to 16/);
    }
  });
});

describe('--window-prompt', () => {
  const withFlags = (raw: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
    const dir = tempDir();
    return resolveConfig({ notes: join(dir, 'notes'), data: join(dir, 'data'), ...raw }, env);
  };

  it('is on unless turned off, by the flag (which wins) or HARK_WINDOW_PROMPT', () => {
    expect(config({}).windowPrompt).toBe(true);
    expect(config({ HARK_WINDOW_PROMPT: 'off' }).windowPrompt).toBe(false);
    expect(withFlags({ 'window-prompt': 'on' }, { HARK_WINDOW_PROMPT: 'off' }).windowPrompt).toBe(true);
  });

  it('refuses anything but on or off, before any work', () => {
    expect(() => withFlags({ 'window-prompt': 'yes' })).toThrow(
      '--window-prompt must be on or off (got "yes")',
    );
  });
});
