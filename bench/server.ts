/**
 * Web server benchmarks (issue 4), each against a baseline in the same run:
 *   npx tsx bench/server.ts
 * - GET /api/queue with 100,000 tasks in the database, against a plain
 *   Fastify route answering the same JSON from memory (load from another process);
 * - latency from a task changing state to its SSE event reaching a client.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { HarkApp } from '../src/app/harkApp.js';
import { transcriptionIdFor } from '../src/core/orphans.js';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { resolveConfig } from '../src/services/config.js';
import { silentLog } from '../src/services/log.js';
import { SseClient } from '../tests/helpers/sseClient.js';
import { machine, percentile, printTable, type Row, scratch } from './lib.js';

const execFileAsync = promisify(execFile);
const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 8;

/** Runs the load generator in its own process (asynchronously: the server under test lives in this one). */
async function load(url: string): Promise<{ requests: number; errors: number; p50: number; p99: number }> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', 'bench/loadClient.ts', url, String(CONCURRENCY), String(SECONDS)],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout);
}

async function main(): Promise<void> {
  const dir = scratch('hark-bench-server-');
  const notes = join(dir.path, 'notes');
  const data = join(dir.path, 'data');
  mkdirSync(notes);
  const seed = SqliteStore.open(join(data, 'hark.db'));
  const batch = Array.from({ length: TASKS }, (_, i) => ({
    transcriptionId: transcriptionIdFor(`d${i % 1000}/f${i}.wav`),
    audioPath: `d${i % 1000}/f${i}.wav`,
    source: 'orphan' as const,
    originalName: null,
    taskType: 'transcribe_orphan' as const,
    priority: 0 as const,
    fileSize: 1,
    fileMtimeMs: 0,
  }));
  for (let i = 0; i < TASKS; i += 5000)
    await seed.tasks.addTasks(batch.slice(i, i + 5000), Date.now() - 1000, 2);
  await seed.close();

  // No engine: the queue waits (paused), which keeps the 100,000 tasks pending while we measure.
  const app = await HarkApp.start(resolveConfig({ notes, data, port: '0' }, {}), {
    log: silentLog,
    serve: true,
    watch: false,
    engine: null,
    // The bench's own requests carry no credential: it measures serving, not the sign-in.
    auth: false,
  });
  const harkUrl = `${app.url}/api/queue`;
  const sample = await (await fetch(harkUrl)).text();

  const plain = Fastify();
  plain.get('/api/queue', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(sample),
  );
  await plain.listen({ host: '127.0.0.1', port: 0 });
  const plainUrl = `http://127.0.0.1:${(plain.server.address() as AddressInfo).port}/api/queue`;

  await load(harkUrl); // warm up both
  await load(plainUrl);
  const hark = await load(harkUrl);
  const baseline = await load(plainUrl);
  // The same while the queue changes ten times a second (a busy worker's progress), so most
  // requests after a change recompute the status instead of finding it ready.
  const churn = setInterval(() => app.services.events.emit('queue-changed', { reason: 'bench' }), 100);
  const busy = await load(harkUrl);
  clearInterval(churn);
  await plain.close();

  // SSE latency: a task's state changed in the app's own process (cancelled, then put back), timed
  // from the commit to the event that shows it at a connected client.
  const port = Number(new URL(app.url ?? '').port);
  const client = await SseClient.connect(port);
  await client.next((e) => e.event === 'background-task-update');
  const cancelled = (count: number) => (e: { event: string; data: unknown }) =>
    e.event === 'background-task-update' && (e.data as { cancelled_count: number }).cancelled_count === count;
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const seen = client.nextNew(cancelled(i % 2 === 0 ? 1 : 0));
    const changedAt = Date.now();
    if (i % 2 === 0) await app.queue.cancel(1);
    else await app.queue.retryFailed(1);
    latencies.push((await seen).at - changedAt);
    await new Promise((resolve) => setTimeout(resolve, 120));
  }
  // The same, changed by another process (as `hark cancel` in a terminal does).
  const other = SqliteStore.open(join(data, 'hark.db'));
  const external: number[] = [];
  for (let i = 0; i < 60; i++) {
    const seen = client.nextNew(cancelled(i % 2 === 0 ? 1 : 0));
    const changedAt = Date.now();
    if (i % 2 === 0) await other.tasks.cancelTask(1, changedAt);
    else await other.tasks.retryTask(1, changedAt);
    external.push((await seen).at - changedAt);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await other.close();
  client.close();
  await app.stop();
  dir.remove();

  const rows: Row[] = [
    {
      benchmark: `GET /api/queue, ${TASKS.toLocaleString('en')} tasks, ${CONCURRENCY} connections, ${SECONDS} s`,
      hark: `${Math.round(hark.requests / SECONDS)} req/s (p99 ${hark.p99.toFixed(1)} ms)`,
      baseline: `${Math.round(baseline.requests / SECONDS)} req/s plain route, same JSON (p99 ${baseline.p99.toFixed(1)} ms)`,
      ratio: `${(hark.requests / baseline.requests).toFixed(2)}×`,
      target: '≥ 0.5×',
      met: hark.requests / baseline.requests >= 0.5 && hark.errors === 0,
    },
    {
      benchmark: 'same, while the queue changes 10 times a second',
      hark: `${Math.round(busy.requests / SECONDS)} req/s (p99 ${busy.p99.toFixed(1)} ms)`,
      baseline: `${Math.round(baseline.requests / SECONDS)} req/s plain route`,
      ratio: `${(busy.requests / baseline.requests).toFixed(2)}×`,
      target: '≥ 0.5×',
      met: busy.requests / baseline.requests >= 0.5 && busy.errors === 0,
    },
    {
      benchmark: 'task state change → SSE event at a client (changed in the app, 200 changes)',
      hark: `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`,
      baseline: 'coalescing window 100 ms',
      ratio: '',
      target: 'p99 ≤ 150 ms',
      met: percentile(latencies, 99) <= 150,
    },
    {
      benchmark: 'same, changed by another process (60 changes)',
      hark: `p50 ${percentile(external, 50)} ms, p99 ${percentile(external, 99)} ms`,
      baseline: 'the -wal file watched, data_version read on a change',
      ratio: '',
      target: 'reported',
      met: true,
    },
  ];
  printTable('Web server benchmarks', rows);
  console.log(`\n(${machine()})`);
}

await main();
