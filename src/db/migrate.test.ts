import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarkError } from '../core/errors.js';
import { loadMigrations, migrate } from './migrate.js';
import { type Db, openDatabase } from './open.js';
import { SqliteStore } from './sqliteStore.js';

describe('migrations', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hark-migrate-'));
    db = openDatabase(join(dir, 'hark.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const versions = () =>
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    );

  it('applies every migration once, in order, and nothing the second time', () => {
    const all = loadMigrations();
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    expect(migrate(db).applied).toHaveLength(all.length);
    expect(migrate(db)).toEqual({ applied: [], version: all.length });
    expect(versions()).toEqual(all.map((m) => m.version));
  });

  it('opens with WAL, foreign keys and a busy timeout', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('page_size', { simple: true })).toBe(2048);
  });

  it('refuses a database written by a newer Hark, and leaves it untouched', () => {
    migrate(db);
    const known = loadMigrations().length;
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)').run(
      known + 1,
      'future',
    );
    expect(() => migrate(db)).toThrowError(/newer version of Hark \(schema \d+; this Hark knows up to \d+\)/);
    try {
      migrate(db);
    } catch (error) {
      expect(error).toBeInstanceOf(HarkError);
      expect((error as HarkError).kind).toBe('database_too_new');
    }
    expect(versions()).toHaveLength(known + 1);
    db.close();
    expect(() => SqliteStore.open(join(dir, 'hark.db'))).toThrowError(/newer version of Hark/);
    db = openDatabase(join(dir, 'hark.db'));
  });

  it('refuses a database whose history differs from ours', () => {
    migrate(db);
    db.prepare('UPDATE schema_migrations SET name = ? WHERE version = 1').run('someone_elses');
    expect(() => migrate(db)).toThrowError(/schema history does not match/);
  });

  it('applies all or nothing: a failing migration leaves no trace', () => {
    const broken = [
      ...loadMigrations(),
      { version: loadMigrations().length + 1, name: 'broken', sql: 'CREATE TABLE x (; nope' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'background_tasks'").get(),
    ).toEqual({ n: 0 });
    expect(versions()).toEqual([]);
  });
});
