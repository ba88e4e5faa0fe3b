import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CLUSTER_SCRIPT = fileURLToPath(new URL('../../scripts/postgres-test-cluster.sh', import.meta.url));
const run = promisify(execFile);

function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(`${root}/${v}/bin/pg_ctl`))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  const newest = versions.at(-1);
  if (!newest) throw new Error('no PostgreSQL binaries (install Debian’s postgresql, or set PG_BIN)');
  return `${root}/${newest}/bin`;
}

/** Whether this machine has PostgreSQL's server programs (the soak starts a cluster of its own). */
export function postgresAvailable(): boolean {
  try {
    return existsSync(`${binDir()}/initdb`);
  } catch {
    return false;
  }
}

/** pg_ctl as the cluster's owner (PostgreSQL refuses to run as root), from / as the script does. */
async function pgCtl(args: string[]): Promise<void> {
  const pgCtlPath = `${binDir()}/pg_ctl`;
  const [command, argv] =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', pgCtlPath, ...args]] : [pgCtlPath, args];
  await run(command, argv, { cwd: '/', timeout: 60_000 });
}

/**
 * The soak's own PostgreSQL server, started by scripts/postgres-test-cluster.sh (the tests'
 * throw-away cluster), which it stops and starts again under the nodes' feet: an immediate
 * stop (as a crash or a power cut would), a pause, then a start on the same port.
 */
export class SoakCluster {
  private constructor(
    readonly url: string,
    readonly dir: string,
  ) {}

  static start(): SoakCluster {
    const out = execFileSync(CLUSTER_SCRIPT, ['start'], { encoding: 'utf8', timeout: 60_000 });
    const vars = new Map(
      out
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    );
    const url = vars.get('HARK_TEST_DATABASE_URL');
    const dir = vars.get('HARK_TEST_PG_DIR');
    if (!url || !dir) throw new Error(`postgres-test-cluster.sh printed no URL: ${out}`);
    return new SoakCluster(url, dir);
  }

  /** A URL to another database on the same server. */
  databaseUrl(name: string): string {
    const parsed = new URL(this.url);
    parsed.pathname = `/${name}`;
    return parsed.toString();
  }

  async stopServer(): Promise<void> {
    await pgCtl(['-D', `${this.dir}/data`, '-m', 'immediate', '-w', 'stop']);
  }

  /** Starts the server again with the options the script gave it (the port is in the URL). */
  async startServer(): Promise<void> {
    const port = new URL(this.url).port;
    await pgCtl([
      '-D',
      `${this.dir}/data`,
      '-l',
      `${this.dir}/postgres.log`,
      '-w',
      '-t',
      '30',
      'start',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${this.dir} -c fsync=off ` +
        '-c synchronous_commit=off -c full_page_writes=off -c max_connections=200',
    ]);
  }

  remove(): void {
    execFileSync(CLUSTER_SCRIPT, ['stop', this.dir], { timeout: 60_000 });
  }
}
