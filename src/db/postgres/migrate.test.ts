import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../core/types.js';
import { loadMigrations } from '../migrate.js';
import { loadPostgresMigrations } from './migrate.js';

describe('PostgreSQL migrations', () => {
  it('are numbered on their own, and the SQLite migrator does not see their folder', () => {
    const postgres = loadPostgresMigrations();
    const sqlite = loadMigrations();
    expect(postgres[0]?.name).toBe('init');
    expect(sqlite.slice(0, 2).map((m) => m.name)).toEqual(['init', 'engine_child_crashes']);
    // PostgreSQL's init has SQLite's first two in one; every later change is made in both, in the same order.
    expect(postgres.slice(1).map((m) => m.name)).toEqual(sqlite.slice(2).map((m) => m.name));
    expect(sqlite.some((m) => m.sql.includes('tsvector'))).toBe(false);
  });

  it('both dialects end with the CHECK on task kinds listing exactly core’s TASK_TYPES', () => {
    // The last migration that names task_type's CHECK in each dialect (SQLite rebuilds the table, PostgreSQL swaps the constraint).
    const kindsIn = (migrations: { sql: string }[]) => {
      const sql = migrations.filter((m) => /task_type IN \(/.test(m.sql)).at(-1)?.sql ?? '';
      const list = /task_type IN \(([^)]*)\)/.exec(sql)?.[1] ?? '';
      return [...list.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]).sort();
    };
    expect(kindsIn(loadMigrations())).toEqual([...TASK_TYPES].sort());
    expect(kindsIn(loadPostgresMigrations())).toEqual([...TASK_TYPES].sort());
  });
});
