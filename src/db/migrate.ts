import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Migration, pendingMigrations } from './migrationPlan.js';
import type { Db } from './open.js';

export type { Migration } from './migrationPlan.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Reads `NNNN_name.sql` files in order. Numbers must run 1, 2, 3 … without gaps. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(`${dir}/${file}`, 'utf8'),
    }));
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration ${migration.version}_${migration.name} is out of sequence: expected ${index + 1}`,
      );
    }
  });
  return migrations;
}

export interface MigrateResult {
  applied: string[];
  version: number;
}

/**
 * Brings the schema up to date in one IMMEDIATE transaction: either every
 * missing migration is applied and recorded, or none is. A database written
 * by a newer Hark, or whose history differs from ours, is refused untouched.
 *
 * Foreign keys are off while it runs, as SQLite's procedure for rebuilding a table asks
 * (https://www.sqlite.org/lang_altertable.html#otheralter): a migration that drops a table to
 * make it anew (0007) must not cascade that drop to the rows that point at it. The pragma is a
 * no-op inside a transaction, so it is set around it; `PRAGMA foreign_key_check` then runs
 * inside, and any dangling reference rolls the whole upgrade back.
 */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): MigrateResult {
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    return migrateInTransaction(db, migrations);
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

function migrateInTransaction(db: Db, migrations: Migration[]): MigrateResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const run = db.transaction(() => {
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
    }[];
    const pending = pendingMigrations(migrations, applied, 'another --data folder');
    const done: string[] = [];
    for (const migration of pending) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      done.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`);
    }
    if (done.length > 0) assertForeignKeys(db);
    return {
      applied: done,
      version: Math.max(applied.at(-1)?.version ?? 0, migrations.at(-1)?.version ?? 0),
    };
  });
  return run.immediate();
}

/** Throws (rolling the migration back) when any row points at a row that is not there. */
function assertForeignKeys(db: Db): void {
  const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  const first = broken[0];
  if (first) {
    throw new Error(
      `Migrating left ${broken.length} row(s) pointing at nothing (first: ${first.table} rowid ${first.rowid} → ${first.parent}); nothing was changed`,
    );
  }
}
