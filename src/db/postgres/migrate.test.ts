import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../migrate.js';
import { loadPostgresMigrations } from './migrate.js';

describe('PostgreSQL migrations', () => {
  it('are numbered on their own, and the SQLite migrator does not see their folder', () => {
    const postgres = loadPostgresMigrations();
    expect(postgres.map((m) => `${m.version}_${m.name}`)).toEqual(['1_init', '2_leases']);
    const sqlite = loadMigrations();
    expect(sqlite.map((m) => m.name)).toEqual(['init', 'engine_child_crashes', 'leases']);
    expect(sqlite.some((m) => m.sql.includes('tsvector'))).toBe(false);
  });
});
