import { HarkError } from '../core/errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
}

/**
 * The migrations a database still needs, given the ones it has applied: the
 * same rule for every store. A database from a newer Hark, or one whose
 * history differs from ours, is refused untouched. `elsewhere` says what the
 * user can do instead (another --data folder, another database).
 */
export function pendingMigrations(
  migrations: readonly Migration[],
  applied: readonly AppliedMigration[],
  elsewhere: string,
): Migration[] {
  const newest = migrations.at(-1)?.version ?? 0;
  const dbVersion = applied.at(-1)?.version ?? 0;
  if (dbVersion > newest) {
    throw new HarkError(
      'database_too_new',
      `This database was written by a newer version of Hark (schema ${dbVersion}; this Hark knows up to ${newest}). ` +
        `Upgrade Hark, or use ${elsewhere}.`,
    );
  }
  for (const row of applied) {
    const ours = migrations[row.version - 1];
    if (!ours || ours.name !== row.name) {
      throw new HarkError(
        'database_too_new',
        `This database's schema history does not match this Hark (migration ${row.version} is "${row.name}" there, ` +
          `"${ours?.name ?? 'missing'}" here). Refusing to touch it.`,
      );
    }
  }
  return migrations.slice(dbVersion);
}
