import type { Statement } from 'better-sqlite3';
import type { Db } from './open.js';

const cache = new WeakMap<Db, Map<string, Statement>>();

/**
 * A prepared statement for `sql` on `db`, prepared once and reused: preparing
 * costs more than running the small statements the queue makes.
 */
export function stmt<Params extends unknown[] | object = unknown[], Row = unknown>(
  db: Db,
  sql: string,
): Statement<Params, Row> {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let statement = perDb.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    perDb.set(sql, statement);
  }
  return statement as unknown as Statement<Params, Row>;
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so it cannot fail half-way with BUSY. */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
