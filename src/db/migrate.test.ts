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

  describe('0007: the tasks table rebuilt for the recording kind', () => {
    const schemaOf = () =>
      db
        .prepare(
          `SELECT type, name FROM sqlite_schema
           WHERE tbl_name = 'background_tasks' AND type IN ('index', 'trigger') ORDER BY type, name`,
        )
        .all();
    const now = 1_700_000_000_000;
    const addNote = (id: string, source: string) =>
      db
        .prepare(
          `INSERT INTO transcriptions (id, audio_path, source, created_at, recorded_at, title)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(id, `${id}.wav`, source, now, now, id);
    const addTask = (transcriptionId: string, status: string, priority: number) =>
      Number(
        db
          .prepare(
            `INSERT INTO background_tasks (transcription_id, task_type, priority, status, order_key, created_at,
               available_at, checkpoint_chunks)
             VALUES (?, 'transcribe_orphan', ?, ?, ?, ?, ?, 1)`,
          )
          .run(transcriptionId, priority, status, now, now, now).lastInsertRowid,
      );

    it('keeps every task, checkpoint, index, trigger and the id counter; recordings get their kind', () => {
      const all = loadMigrations();
      migrate(
        db,
        all.filter((m) => m.version < 7),
      );
      const before = schemaOf();
      expect(before.length).toBeGreaterThanOrEqual(8);
      addNote('rec', 'recording');
      addNote('found', 'orphan');
      addNote('pruned', 'orphan');
      const recordingTask = addTask('rec', 'pending', 2);
      const foundTask = addTask('found', 'processing', 0);
      const prunedTask = addTask('pruned', 'completed', 0);
      db.prepare(
        'INSERT INTO task_chunks (task_id, chunk_index, start_sec, end_sec, segments) VALUES (?, 0, 0, 5, ?)',
      ).run(foundTask, '[]');
      // Retention prunes the newest task: its id must still never come back.
      db.prepare('DELETE FROM background_tasks WHERE id = ?').run(prunedTask);
      const counts = db.prepare('SELECT status, n FROM task_counts ORDER BY status').all();

      expect(migrate(db).applied).toEqual(['0007_recording_tasks']);

      expect(schemaOf()).toEqual(before);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT id, task_type, status FROM background_tasks ORDER BY id').all()).toEqual([
        { id: recordingTask, task_type: 'transcribe_recording', status: 'pending' },
        { id: foundTask, task_type: 'transcribe_orphan', status: 'processing' },
      ]);
      expect(db.prepare('SELECT task_id FROM task_chunks').pluck().all()).toEqual([foundTask]);
      expect(db.prepare('SELECT status, n FROM task_counts ORDER BY status').all()).toEqual(counts);
      expect(
        db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'background_tasks'").pluck().get(),
      ).toContain("'transcribe_recording'");

      // The triggers and indexes work on the new table (one live task per note), the foreign keys too.
      expect(() => addTask('found', 'pending', 0)).toThrow(/UNIQUE/);
      const next = addTask('pruned', 'pending', 0);
      expect(next).toBeGreaterThan(prunedTask);
      expect(db.prepare("SELECT n FROM task_counts WHERE status = 'pending'").pluck().get()).toBe(2);
      db.prepare('DELETE FROM background_tasks WHERE id = ?').run(foundTask);
      expect(db.prepare('SELECT count(*) FROM task_chunks').pluck().get()).toBe(0);
      expect(() =>
        db
          .prepare(
            `INSERT INTO background_tasks (transcription_id, task_type, order_key, created_at, available_at)
             VALUES ('rec', 'transcribe_other', 0, 0, 0)`,
          )
          .run(),
      ).toThrow(/CHECK constraint/);
    });

    it('rolls back the rebuild when a row would point at nothing', () => {
      migrate(
        db,
        loadMigrations().filter((m) => m.version < 7),
      );
      addNote('rec', 'recording');
      addTask('rec', 'pending', 2);
      db.pragma('foreign_keys = OFF');
      db.prepare("DELETE FROM transcriptions WHERE id = 'rec'").run();
      db.pragma('foreign_keys = ON');
      expect(() => migrate(db)).toThrow(/pointing at nothing/);
      expect(versions()).toHaveLength(6);
      expect(db.prepare('SELECT task_type FROM background_tasks').pluck().all()).toEqual([
        'transcribe_orphan',
      ]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    });
  });
});
