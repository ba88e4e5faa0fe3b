import { HarkError } from '../core/errors.js';
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

/** The URL as it may be shown: any password replaced by `***`. */
export function redactedUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * Opens the store `urlOrPath` names (see storeTarget), schema brought up to date.
 */
export async function openStore(
  urlOrPath: string | StoreTarget,
  sqliteOptions: OpenOptions = {},
): Promise<HarkStore> {
  const target = typeof urlOrPath === 'string' ? storeTarget(urlOrPath) : urlOrPath;
  if (target.kind === 'postgres') return openPostgres(target.url);
  return SqliteStore.open(target.path, sqliteOptions);
}

/**
 * A server that is down, a wrong password or a database that does not exist is said in one
 * line with the URL (password hidden), not as the driver's stack trace. Hark's own refusals
 * (a database from a newer Hark) keep their words.
 */
async function openPostgres(url: string): Promise<HarkStore> {
  try {
    return await PostgresStore.open(url);
  } catch (error) {
    if (error instanceof HarkError) throw error;
    // Node's AggregateError (every address of a host refused) has no message of its own, only a code.
    const code = (error as { code?: unknown } | null)?.code;
    const reason =
      error instanceof Error && error.message
        ? error.message
        : typeof code === 'string'
          ? code
          : String(error);
    throw new HarkError(
      'store_unreachable',
      `Could not open the PostgreSQL store at ${redactedUrl(url)}: ${reason}`,
      { retryable: true, cause: error },
    );
  }
}
