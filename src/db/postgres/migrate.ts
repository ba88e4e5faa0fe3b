import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { loadMigrations, type MigrateResult } from '../migrate.js';
import { type Migration, pendingMigrations } from '../migrationPlan.js';
import { inTransaction } from './pool.js';
import { backfillNotes } from './queries/backfillNotes.js';

export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../../migrations/postgres/', import.meta.url),
);

/** The advisory lock every starting node takes before it looks at the schema ("HARK", 1). */
const MIGRATION_LOCK: [number, number] = [0x4841524b, 1];

export function loadPostgresMigrations(): Migration[] {
  return loadMigrations(POSTGRES_MIGRATIONS_DIR);
}

/**
 * Brings the schema up to date in one transaction, as SQLite's migrate does: every missing
 * migration is applied and recorded, or none is. Several nodes may start at once against the
 * same database: each takes the same transaction-scoped advisory lock first, so one migrates
 * while the others wait, then find nothing left to do. A database written by a newer Hark, or
 * whose history differs from ours, is refused untouched.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: Migration[] = loadPostgresMigrations(),
): Promise<MigrateResult> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', MIGRATION_LOCK);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const applied = (
      await client.query<{ version: number; name: string }>(
        'SELECT version, name FROM schema_migrations ORDER BY version',
      )
    ).rows;
    const pending = pendingMigrations(migrations, applied, 'another database');
    const done: string[] = [];
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      done.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`);
    }
    // Rows made before titles get theirs by core's rule, in the migrating transaction.
    if (migrations.some((migration) => migration.name === 'note_identity')) await backfillNotes(client);
    return {
      applied: done,
      version: Math.max(applied.at(-1)?.version ?? 0, migrations.at(-1)?.version ?? 0),
    };
  });
}
