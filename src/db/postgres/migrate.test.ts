import { describe, expect, it } from 'vitest';
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
});
