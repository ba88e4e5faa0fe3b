import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../migrate.js';
import { loadPostgresMigrations } from './migrate.js';

describe('PostgreSQL migrations', () => {
  it('are numbered on their own, and the SQLite migrator does not see their folder', () => {
    const postgres = loadPostgresMigrations();
    expect(postgres.map((m) => `${m.version}_${m.name}`)).toEqual(
      expect.arrayContaining(['1_init', '3_note_identity']),
    );
    const sqlite = loadMigrations();
    expect(sqlite.map((m) => m.name)).toEqual(
      expect.arrayContaining(['init', 'engine_child_crashes', 'note_identity']),
    );
    expect(sqlite.findIndex((m) => m.name === 'note_identity')).toBe(3);
    expect(sqlite.some((m) => m.sql.includes('tsvector'))).toBe(false);
  });
});
