import pg from 'pg';

/** A pool, or one client of it inside a transaction: what every query runs on. */
export type Queryable = pg.Pool | pg.PoolClient;

const INT8 = 20;

/**
 * bigint columns (times in epoch milliseconds, ids) come back as numbers, as
 * SQLite's do; the driver's default is a string, since an int8 can exceed
 * 2^53. Ours never do, and one that did would be refused rather than rounded.
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JavaScript number`);
  return n;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(
  connectionString: string,
  options: { max?: number; applicationName?: string } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    types,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'hark',
  });
  // An idle client whose connection drops (a server restart) emits here; without a listener
  // that would end the process. The next query gets a fresh connection, or the error.
  pool.on('error', () => {});
  return pool;
}

/**
 * Runs `fn` in one transaction on one client: committed if it returns, rolled back if it throws.
 * While the client is checked out, pg emits its connection's death (a server restart, a
 * terminated backend) as an 'error' event that, with no listener, would end the process: the
 * listener here keeps it, the statement in flight rejects with the cause, and the broken client
 * is destroyed rather than handed to the next caller.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (!broken) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
