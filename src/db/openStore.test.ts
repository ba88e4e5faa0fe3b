import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, storeTarget } from './openStore.js';

describe('openStore', () => {
  it('takes a postgres:// or postgresql:// URL for PostgreSQL, and anything else for a SQLite file', () => {
    expect(storeTarget('postgres://hark@db.local/hark')).toEqual({
      kind: 'postgres',
      url: 'postgres://hark@db.local/hark',
    });
    expect(storeTarget('PostgreSQL://h@x:5433/y')).toMatchObject({ kind: 'postgres' });
    expect(storeTarget('/home/me/.hark/hark.db')).toEqual({ kind: 'sqlite', path: '/home/me/.hark/hark.db' });
    expect(storeTarget('postgres.db')).toEqual({ kind: 'sqlite', path: 'postgres.db' });
    expect(storeTarget('./postgres://odd-folder/hark.db')).toMatchObject({ kind: 'sqlite' });
  });

  it('opens a SQLite file as a HarkStore whose aggregates work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hark-open-'));
    try {
      const store = await openStore(join(dir, 'hark.db'));
      await store.settings.setSetting('x', 'y');
      expect(await store.settings.getSetting('x')).toBe('y');
      expect(await store.tasks.getCounts()).toMatchObject({ pending: 0 });
      expect(await store.transcriptions.knownAudioPaths()).toEqual(new Set());
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
