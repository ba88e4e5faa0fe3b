/**
 * PostgreSQL benchmarks (issue 10), each against a baseline measured in the same run:
 *   npx tsx bench/postgres.ts [scaling|peers|counters]...   (default: all)
 *
 * scaling:  claim + complete with 1, 2, 4, 8 worker processes (each its own pool), a fake
 *           handler of a fixed 200 ms per task; tasks/s and the speed-up against 1 worker.
 * peers:    claim + complete with a no-op handler, the same jobs and concurrency, on the same
 *           server: Hark's store, pg-boss 10 (fetch + complete) and graphile-worker 0.16 (its runner).
 * counters: the trigger-kept task counts under 4 and 8 concurrent claimers, as shipped (8 slots
 *           per status) against one row per status and against no counts at all, with the
 *           backends seen waiting on a row lock sampled throughout.
 *
 * The server is a throw-away cluster (scripts/postgres-test-cluster.sh) unless
 * HARK_BENCH_DATABASE_URL names one. BENCH_SCALE_TASKS (per worker, default 30) and BENCH_JOBS
 * (default 4000) size the runs.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { run as graphileRun, makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { transcriptionIdFor } from '../src/core/orphans.js';
import type { NewAudio } from '../src/core/types.js';
import { PostgresStore } from '../src/db/postgres/postgresStore.js';
import { printTable, type Row } from './lib.js';
import { type BenchCluster, benchCluster } from './pgCluster.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./pgWorker.ts', import.meta.url));
const SCALE_PER_WORKER = Number(process.env.BENCH_SCALE_TASKS ?? 30);
const JOBS = Number(process.env.BENCH_JOBS ?? 4000);
const CONCURRENCY = 4;
const HANDLER_MS = 200;

const audio = (i: number): NewAudio => ({
  transcriptionId: transcriptionIdFor(`d${i % 100}/f${i}.wav`),
  audioPath: `d${i % 100}/f${i}.wav`,
  source: 'orphan',
  originalName: null,
  taskType: 'transcribe_orphan',
  priority: 0,
  fileSize: 1000,
  fileMtimeMs: 0,
});

/** A database with Hark's schema and `n` pending tasks (enqueued before any clock starts). */
async function harkQueue(cluster: BenchCluster, n: number, prepare?: (pool: pg.Pool) => Promise<void>) {
  const url = await cluster.database('hark_bench');
  const store = await PostgresStore.open(url);
  if (prepare) await prepare(store.pool);
  const now = Date.now() - 1000;
  for (let i = 0; i < n; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, n - i) }, (_, j) => audio(i + j));
    await store.tasks.addTasks(batch, now, 2);
  }
  await store.pool.query('VACUUM ANALYZE');
  return { url, store };
}

const perSecond = (n: number, ms: number) => n / (ms / 1000);
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// ---------------------------------------------------------------- scaling

function lineReader(child: ChildProcess): () => Promise<string> {
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  return () => {
    const line = lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
}

/** `workers` processes drain `workers × SCALE_PER_WORKER` tasks at HANDLER_MS each: tasks/s. */
async function scaleRun(cluster: BenchCluster, workers: number): Promise<{ tasks: number; ms: number }> {
  const tasks = workers * SCALE_PER_WORKER;
  const { url, store } = await harkQueue(cluster, tasks);
  const children = Array.from({ length: workers }, (_, i) =>
    spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, url, `bench:${i}:w`, String(HANDLER_MS)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const readers = children.map(lineReader);
  for (const read of readers) if ((await read()) !== 'ready') throw new Error('worker did not start');
  const go = Date.now();
  for (const child of children) child.stdin?.write('go\n');
  const results = await Promise.all(
    readers.map(async (read) => JSON.parse(await read()) as { done: number; finishedAt: number }),
  );
  const ms = Math.max(...results.map((r) => r.finishedAt)) - go;
  const done = results.reduce((sum, r) => sum + r.done, 0);
  const counts = await store.tasks.getCounts();
  await store.close();
  if (done !== tasks || counts.completed !== tasks)
    throw new Error(`${workers} workers: ${done} done, ${counts.completed} completed, of ${tasks}`);
  return { tasks, ms };
}

async function scaling(cluster: BenchCluster): Promise<Row[]> {
  const rows: Row[] = [];
  let one = 0;
  for (const workers of [1, 2, 4, 8]) {
    const { tasks, ms } = await scaleRun(cluster, workers);
    const rate = perSecond(tasks, ms);
    if (workers === 1) one = rate;
    const speedUp = rate / one;
    rows.push({
      benchmark: `${workers} worker process${workers > 1 ? 'es' : ''}, ${tasks} tasks of ${HANDLER_MS} ms`,
      hark: `${rate.toFixed(2)} tasks/s (${(ms / 1000).toFixed(2)} s)`,
      baseline: workers === 1 ? `ideal ${(1000 / HANDLER_MS).toFixed(2)}/s` : `1 worker: ${one.toFixed(2)}/s`,
      ratio: `${speedUp.toFixed(2)}× (ideal ${workers}×)`,
      target: workers === 4 ? '≥ 3.5×' : 'near-linear',
      met: workers === 4 ? speedUp >= 3.5 : speedUp >= workers * 0.85,
    });
  }
  return rows;
}

// ---------------------------------------------------------------- peers

/** Where Hark's time goes: the claim and the completion, summed over every loop (the profile). */
const phases = { claimMs: 0, completeMs: 0, jobs: 0 };

/** Hark: CONCURRENCY loops, each on a store of its own (one connection), claim + complete until empty. */
async function harkDrain(urlOrStores: PostgresStore[], n: number): Promise<number> {
  const transcript = {
    text: 'hello world',
    segments: [{ start: 0, end: 1, text: 'hello world' }],
    duration: 1,
  };
  let done = 0;
  const start = performance.now();
  await Promise.all(
    urlOrStores.map(async (store, i) => {
      const workerId = `bench:${i}:w`;
      for (;;) {
        const claimStart = performance.now();
        const task = await store.tasks.claimNext(workerId, Date.now());
        phases.claimMs += performance.now() - claimStart;
        if (!task) return;
        const completeStart = performance.now();
        await store.tasks.completeTask({
          taskId: task.id,
          workerId,
          transcript,
          outcome: 'complete',
          engine: 'bench',
          sidecarPath: null,
          now: Date.now(),
        });
        phases.completeMs += performance.now() - completeStart;
        done++;
      }
    }),
  );
  const ms = performance.now() - start;
  phases.jobs += n;
  if (done !== n) throw new Error(`hark: ${done} of ${n}`);
  return ms;
}

/**
 * The profile's check (not the store's code): the same claim, then the completion's own three
 * writes (task, transcript, checkpoint chunks) as one statement, so one round trip instead of
 * the transaction's four (BEGIN, UPDATE, UPDATE, COMMIT).
 */
const ONE_TRIP_COMPLETE = `WITH done AS (
     UPDATE background_tasks
     SET status = 'completed', progress = 1, completed_at = $3, locked_by = NULL, locked_at = NULL,
         error_kind = NULL, error_message = NULL
     WHERE id = $1 AND status = 'processing' AND locked_by = $2
     RETURNING transcription_id, checkpoint_chunks
   ), chunks AS (
     DELETE FROM task_chunks WHERE task_id = $1 AND EXISTS (SELECT 1 FROM done WHERE checkpoint_chunks > 0)
   )
   UPDATE transcriptions t
   SET status = 'complete', transcription_text = $4, text_words = $5, segments = $6, language = NULL,
       duration = 1, engine = 'bench', transcribed_at = $3, error_kind = NULL, error_message = NULL,
       sidecar_path = NULL, sidecar_state = NULL
   FROM done WHERE t.id = done.transcription_id
   RETURNING t.id`;

async function harkOneTripPeer(cluster: BenchCluster, n: number, concurrency: number): Promise<number> {
  const { url, store } = await harkQueue(cluster, n);
  const stores = await Promise.all(
    Array.from({ length: concurrency }, () => PostgresStore.open(url, { maxConnections: 1 })),
  );
  await Promise.all(stores.map((s) => s.tasks.getCounts()));
  let done = 0;
  const start = performance.now();
  await Promise.all(
    stores.map(async (s, i) => {
      const workerId = `bench:${i}:w`;
      for (;;) {
        const task = await s.tasks.claimNext(workerId, Date.now());
        if (!task) return;
        const { rowCount } = await s.pool.query(ONE_TRIP_COMPLETE, [
          task.id,
          workerId,
          Date.now(),
          'hello world',
          'hello world',
          '[{"start":0,"end":1,"text":"hello world"}]',
        ]);
        if (rowCount !== 1) throw new Error(`task ${task.id} not completed`);
        done++;
      }
    }),
  );
  const ms = performance.now() - start;
  if (done !== n) throw new Error(`hark one-trip: ${done} of ${n}`);
  await Promise.all([...stores, store].map((s) => s.close()));
  return ms;
}

async function harkPeer(cluster: BenchCluster, n: number, concurrency: number): Promise<number> {
  const { url, store } = await harkQueue(cluster, n);
  const stores = await Promise.all(
    Array.from({ length: concurrency }, () => PostgresStore.open(url, { maxConnections: 1 })),
  );
  await Promise.all(stores.map((s) => s.tasks.getCounts()));
  const ms = await harkDrain(stores, n);
  await Promise.all([...stores, store].map((s) => s.close()));
  return ms;
}

/** pg-boss 10: its own fetch (one job) + complete, from `concurrency` loops on a pool of as many connections. */
async function pgBossPeer(cluster: BenchCluster, n: number, concurrency: number): Promise<number> {
  const url = await cluster.database('pgboss_bench');
  const boss = new PgBoss({ connectionString: url, max: concurrency, supervise: false, schedule: false });
  boss.on('error', (error) => console.error('pg-boss:', error));
  await boss.start();
  const queue = 'noop';
  await boss.createQueue(queue);
  for (let i = 0; i < n; i += 1000)
    await boss.insert(Array.from({ length: Math.min(1000, n - i) }, () => ({ name: queue, data: {} })));
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const [job] = await boss.fetch(queue);
        if (!job) return;
        await boss.complete(queue, job.id);
        done++;
      }
    }),
  );
  const ms = performance.now() - start;
  await boss.stop({ graceful: false, wait: true });
  if (done !== n) throw new Error(`pg-boss: ${done} of ${n}`);
  return ms;
}

/** graphile-worker 0.16: its runner with `concurrency` jobs at once and a no-op task, until all succeeded. */
async function graphilePeer(cluster: BenchCluster, n: number, concurrency: number): Promise<number> {
  const url = await cluster.database('graphile_bench');
  const utils = await makeWorkerUtils({ connectionString: url });
  await utils.migrate();
  await utils.withPgClient((client) =>
    client.query(`SELECT graphile_worker.add_job('noop', '{}'::json) FROM generate_series(1, $1)`, [n]),
  );
  await utils.release();
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const start = performance.now();
  const runner = await graphileRun({
    connectionString: url,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: new (await import('graphile-worker')).Logger(() => () => {}),
    taskList: {
      noop: async () => {
        if (++done === n) finished();
      },
    },
  });
  await allDone;
  const ms = performance.now() - start;
  await runner.stop();
  return ms;
}

async function peers(cluster: BenchCluster): Promise<Row[]> {
  const n = JOBS;
  const c = CONCURRENCY;
  // Interleaved twice, so that neither side gets the quieter minute.
  const times = {
    hark: [] as number[],
    oneTrip: [] as number[],
    boss: [] as number[],
    graphile: [] as number[],
  };
  for (let round = 0; round < 2; round++) {
    times.hark.push(await harkPeer(cluster, n, c));
    times.oneTrip.push(await harkOneTripPeer(cluster, n, c));
    times.boss.push(await pgBossPeer(cluster, n, c));
    times.graphile.push(await graphilePeer(cluster, n, c));
  }
  const best = (ms: number[]) => perSecond(n, Math.min(...ms));
  const hark = best(times.hark);
  console.log(
    `Hark's store, mean per job with ${c} at once: claimNext ${(phases.claimMs / phases.jobs).toFixed(2)} ms, ` +
      `completeTask ${(phases.completeMs / phases.jobs).toFixed(2)} ms`,
  );
  const row = (name: string, ms: number[]): Row => {
    const theirs = best(ms);
    return {
      benchmark: `claim + complete ${n.toLocaleString('en')} no-op jobs, ${c} at once: Hark vs ${name}`,
      hark: `${fmt(hark)}/s (runs: ${times.hark.map((t) => fmt(perSecond(n, t))).join(', ')})`,
      baseline: `${fmt(theirs)}/s ${name} (runs: ${ms.map((t) => fmt(perSecond(n, t))).join(', ')})`,
      ratio: `${(hark / theirs).toFixed(2)}×`,
      target: '≥ 1×',
      met: hark >= theirs,
    };
  };
  return [
    row('pg-boss 10.4 (fetch + complete)', times.boss),
    row('graphile-worker 0.16 (runner)', times.graphile),
    {
      ...row('the same claim with a one-statement completion (bench-only SQL, the profile)', times.oneTrip),
      target: 'reported',
      met: true,
    },
  ];
}

// ---------------------------------------------------------------- counters

type CounterVariant = 'slotted (as shipped: 8 per status)' | 'one row per status' | 'no counts (ceiling)';

/** Turns the shipped slotted counters into another variant, in this database only. */
async function counterVariant(pool: pg.Pool, variant: CounterVariant): Promise<void> {
  if (variant === 'one row per status') {
    await pool.query(`CREATE OR REPLACE FUNCTION hark_count_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE task_counts SET n = n - 1 WHERE status = OLD.status AND slot = 0;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          UPDATE task_counts SET n = n + 1 WHERE status = NEW.status AND slot = 0;
        END IF;
        RETURN NULL;
      END $$`);
  } else if (variant === 'no counts (ceiling)') {
    for (const op of ['insert', 'update', 'delete'])
      await pool.query(`DROP TRIGGER background_tasks_count_${op} ON background_tasks`);
  }
}

/** Samples, every 5 ms, how many of this database's backends wait on a lock (a row held by another). */
function lockSampler(url: string): { stop: () => Promise<{ samples: number; meanWaiting: number }> } {
  const client = new pg.Client({ connectionString: url });
  let running = true;
  let samples = 0;
  let waiting = 0;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      samples++;
      waiting += rows[0]?.n ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { samples, meanWaiting: samples ? waiting / samples : 0 };
    },
  };
}

async function counterRun(cluster: BenchCluster, variant: CounterVariant, claimers: number) {
  const { url, store } = await harkQueue(cluster, JOBS, (pool) => counterVariant(pool, variant));
  const stores = await Promise.all(
    Array.from({ length: claimers }, () => PostgresStore.open(url, { maxConnections: 1 })),
  );
  await Promise.all(stores.map((s) => s.tasks.getCounts()));
  const sampler = lockSampler(url);
  const ms = await harkDrain(stores, JOBS);
  const locks = await sampler.stop();
  const counts = await store.tasks.getCounts();
  if (variant !== 'no counts (ceiling)' && counts.completed !== JOBS)
    throw new Error(`${variant}: counts say ${counts.completed} completed of ${JOBS}`);
  await Promise.all([...stores, store].map((s) => s.close()));
  return { rate: perSecond(JOBS, ms), locks };
}

async function counters(cluster: BenchCluster): Promise<Row[]> {
  const variants: CounterVariant[] = [
    'slotted (as shipped: 8 per status)',
    'one row per status',
    'no counts (ceiling)',
  ];
  const rows: Row[] = [];
  for (const claimers of [4, 8]) {
    const results = new Map<CounterVariant, { rate: number; locks: { meanWaiting: number } }[]>();
    // Two rounds, interleaved.
    for (let round = 0; round < 2; round++)
      for (const variant of variants) {
        const list = results.get(variant) ?? [];
        list.push(await counterRun(cluster, variant, claimers));
        results.set(variant, list);
      }
    const best = (v: CounterVariant) => Math.max(...(results.get(v) ?? []).map((r) => r.rate));
    const waits = (v: CounterVariant) =>
      (results.get(v) ?? []).map((r) => r.locks.meanWaiting.toFixed(2)).join(', ');
    const slotted = best(variants[0] as CounterVariant);
    for (const variant of variants.slice(1)) {
      rows.push({
        benchmark: `claim + complete ${JOBS.toLocaleString('en')}, ${claimers} claimers: slotted counts vs ${variant}`,
        hark: `${fmt(slotted)}/s, backends waiting on a lock: ${waits(variants[0] as CounterVariant)}`,
        baseline: `${fmt(best(variant))}/s, waiting: ${waits(variant)}`,
        ratio: `${(slotted / best(variant)).toFixed(2)}×`,
        target: variant === 'one row per status' ? '≥ 1× (slots no worse)' : 'reported',
        met: variant === 'one row per status' ? slotted >= best(variant) * 0.97 : true,
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- main

const wanted = process.argv.slice(2);
const want = (name: string) => wanted.length === 0 || wanted.includes(name);
const cluster = await benchCluster();
try {
  console.log(`PostgreSQL ${cluster.version}`);
  if (want('scaling')) printTable('PostgreSQL: workers (200 ms per task)', await scaling(cluster));
  if (want('peers')) printTable('PostgreSQL: Hark vs pg-boss and graphile-worker', await peers(cluster));
  if (want('counters'))
    printTable('PostgreSQL: task counts under concurrent claims', await counters(cluster));
} finally {
  cluster.stop();
}
// pg-boss and graphile-worker leave timers of their own behind after stop().
process.exit(0);
