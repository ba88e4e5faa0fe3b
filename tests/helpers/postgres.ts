import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, it } from 'vitest';
import { PostgresStore, type PostgresStoreOptions } from '../../src/db/postgres/postgresStore.js';
import type { StoreHarness } from '../contract/storeContract.js';

const CLUSTER_SCRIPT = fileURLToPath(new URL('../../scripts/postgres-test-cluster.sh', import.meta.url));

export const MISSING_SERVER_IN_CI =
  'HARK_TEST_DATABASE_URL is not set. In CI the PostgreSQL store tests need a real server: ' +
  '.ci/run starts one with scripts/postgres-test-cluster.sh and exports its URL before npm test.';

/** Whether this machine can start a throw-away cluster (the script finds the same binaries). */
function postgresBinariesFound(): boolean {
  if (process.env.PG_BIN) return existsSync(`${process.env.PG_BIN}/initdb`);
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return false;
  return readdirSync(root).some((version) => existsSync(`${root}/${version}/bin/initdb`));
}

export interface PostgresServer {
  /** The server's admin URL (to the `postgres` database); valid from beforeAll on. */
  url(): string;
}

/**
 * The PostgreSQL server a test file runs against, registered on the file's hooks:
 * - HARK_TEST_DATABASE_URL when set (.ci/run sets it);
 * - else, in CI, none: a test fails with MISSING_SERVER_IN_CI (never a skip), and null;
 * - else, on a developer's machine with PostgreSQL installed, a throw-away cluster started for
 *   this file by scripts/postgres-test-cluster.sh (about 1.5 s) and removed after it;
 * - else null, after registering one skipped test that says why, so the skip is visible.
 */
export function postgresServerForFile(): PostgresServer | null {
  const given = process.env.HARK_TEST_DATABASE_URL;
  if (given) return { url: () => given };
  if (process.env.CI) {
    it('has a PostgreSQL server to test against', () => {
      throw new Error(MISSING_SERVER_IN_CI);
    });
    return null;
  }
  if (!postgresBinariesFound()) {
    it.skip('PostgreSQL tests: no server (set HARK_TEST_DATABASE_URL, or install Debian’s postgresql)', () => {});
    return null;
  }
  let url = '';
  let dir = '';
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(CLUSTER_SCRIPT, ['start'], { timeout: 60_000 });
    const vars = new Map(
      stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );
    url = vars.get('HARK_TEST_DATABASE_URL') ?? '';
    dir = vars.get('HARK_TEST_PG_DIR') ?? '';
    if (!url || !dir) throw new Error(`postgres-test-cluster.sh printed no URL: ${stdout}`);
  }, 60_000);
  afterAll(async () => {
    if (dir) await promisify(execFile)(CLUSTER_SCRIPT, ['stop', dir], { timeout: 60_000 });
  }, 60_000);
  return { url: () => url };
}

/** `url` with its database replaced by `database`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named database on the server; `drop` removes it, even with connections left open. */
export async function createTestDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hark_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: databaseUrl(serverUrl, name),
    drop: async () => {
      await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * The contract suite's harness on PostgreSQL: each open() gets a database of its own, reopen()
 * connects to the same one again (a restart), cleanup() drops it.
 */
export function postgresHarness(server: PostgresServer, options: PostgresStoreOptions = {}): StoreHarness {
  let database: { url: string; drop(): Promise<void> } | null = null;
  return {
    open: async () => {
      database = await createTestDatabase(server.url());
      return PostgresStore.open(database.url, options);
    },
    reopen: async () => {
      if (!database) throw new Error('reopen() before open()');
      return PostgresStore.open(database.url, options);
    },
    cleanup: async () => {
      await database?.drop();
      database = null;
    },
  };
}

export interface RestartableServer extends PostgresServer {
  /** Stops the server as a restart does (fast shutdown: every session is cut). */
  down(): Promise<void>;
  /** Starts it again, on the same port with the same data. */
  up(): Promise<void>;
}

/**
 * A throw-away cluster of this file's own, even in CI (a shared server cannot be restarted
 * under other tests): for the tests that take the database away from running nodes. Without
 * PostgreSQL's binaries: a visible skip on a developer's machine, a failure in CI.
 */
export function restartableServerForFile(): RestartableServer | null {
  if (!postgresBinariesFound()) {
    if (process.env.CI) {
      it('has PostgreSQL binaries to start a cluster of its own', () => {
        throw new Error(MISSING_SERVER_IN_CI);
      });
    } else {
      it.skip('PostgreSQL restart tests: no binaries (install Debian’s postgresql)', () => {});
    }
    return null;
  }
  let url = '';
  let dir = '';
  const run = (...args: string[]) => promisify(execFile)(CLUSTER_SCRIPT, args, { timeout: 60_000 });
  beforeAll(async () => {
    const { stdout } = await run('start');
    const vars = new Map(
      stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );
    url = vars.get('HARK_TEST_DATABASE_URL') ?? '';
    dir = vars.get('HARK_TEST_PG_DIR') ?? '';
    if (!url || !dir) throw new Error(`postgres-test-cluster.sh printed no URL: ${stdout}`);
  }, 60_000);
  afterAll(async () => {
    if (dir) await run('stop', dir);
  }, 60_000);
  return {
    url: () => url,
    down: async () => {
      await run('down', dir);
    },
    up: async () => {
      await run('up', dir);
    },
  };
}
