import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const CLUSTER_SCRIPT = fileURLToPath(new URL('../scripts/postgres-test-cluster.sh', import.meta.url));

export interface BenchCluster {
  /** The admin URL (the `postgres` database). */
  url: string;
  version: string;
  /** A fresh database's URL. */
  database(prefix: string): Promise<string>;
  stop(): void;
}

/**
 * The server the PostgreSQL benchmarks run against: HARK_BENCH_DATABASE_URL when given (an
 * existing server), else a throw-away cluster from scripts/postgres-test-cluster.sh, the one the
 * tests use (fsync and synchronous_commit off: what is measured is the queue's SQL and its
 * locks, not this VM's disk).
 */
export async function benchCluster(): Promise<BenchCluster> {
  let url = process.env.HARK_BENCH_DATABASE_URL ?? '';
  let dir = '';
  if (!url) {
    const out = execFileSync(CLUSTER_SCRIPT, ['start'], { encoding: 'utf8' });
    const vars = new Map(
      out
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );
    url = vars.get('HARK_TEST_DATABASE_URL') ?? '';
    dir = vars.get('HARK_TEST_PG_DIR') ?? '';
    if (!url) throw new Error(`postgres-test-cluster.sh printed no URL: ${out}`);
  }
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const version = await admin(
    async (c) =>
      (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?',
  );
  return {
    url,
    version,
    database: async (prefix) => {
      const name = `${prefix}_${randomBytes(4).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      const parsed = new URL(url);
      parsed.pathname = `/${name}`;
      return parsed.toString();
    },
    stop: () => {
      if (dir) execFileSync(CLUSTER_SCRIPT, ['stop', dir]);
    },
  };
}
