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
 */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): MigrateResult {
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
    return {
      applied: done,
      version: Math.max(applied.at(-1)?.version ?? 0, migrations.at(-1)?.version ?? 0),
    };
  });
  return run.immediate();
}
