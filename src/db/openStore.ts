import type { HarkStore } from '../core/store.js';
import type { OpenOptions } from './open.js';
import { PostgresStore } from './postgres/postgresStore.js';
import { SqliteStore } from './sqliteStore.js';

export type StoreTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** `postgres://…` or `postgresql://…` is a PostgreSQL server (libpq's two schemes); anything else is a SQLite file. */
export function storeTarget(urlOrPath: string): StoreTarget {
  return /^postgres(ql)?:\/\//i.test(urlOrPath)
    ? { kind: 'postgres', url: urlOrPath }
    : { kind: 'sqlite', path: urlOrPath };
}

/**
 * Opens the store `urlOrPath` names (see storeTarget), schema brought up to date.
 */
export async function openStore(urlOrPath: string, sqliteOptions: OpenOptions = {}): Promise<HarkStore> {
  const target = storeTarget(urlOrPath);
  if (target.kind === 'postgres') return PostgresStore.open(target.url);
  return SqliteStore.open(target.path, sqliteOptions);
}
