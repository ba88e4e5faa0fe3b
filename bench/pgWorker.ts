import { createInterface } from 'node:readline';
import { PostgresStore } from '../src/db/postgres/postgresStore.js';

/**
 * One worker process of bench/postgres.ts: its own pool on Hark's PostgreSQL store, claiming
 * and completing until the queue is empty, with a fake handler that takes a fixed time per
 * task (0: a no-op). It says `ready` once connected, starts at `go` on stdin, and prints one
 * JSON line at the end: how many it did and when it finished (epoch ms, the parent's clock).
 *
 *   npx tsx bench/pgWorker.ts <url> <workerId> <handlerMs>
 */
const [url, workerId, handlerArg] = process.argv.slice(2);
if (!url || !workerId) throw new Error('usage: pgWorker.ts <url> <workerId> <handlerMs>');
const handlerMs = Number(handlerArg ?? 0);

const store = await PostgresStore.open(url, { maxConnections: 1 });
await store.tasks.getCounts(); // the connection is open before the clock starts
console.log('ready');
await new Promise<void>((resolve) => {
  const lines = createInterface({ input: process.stdin });
  lines.once('line', () => {
    lines.close();
    resolve();
  });
});

const transcript = {
  text: 'hello world',
  segments: [{ start: 0, end: 1, text: 'hello world' }],
  duration: 1,
};
let done = 0;
for (;;) {
  const task = await store.tasks.claimNext(workerId, Date.now());
  if (!task) break;
  if (handlerMs > 0) await new Promise((resolve) => setTimeout(resolve, handlerMs));
  const ok = await store.tasks.completeTask({
    taskId: task.id,
    workerId,
    transcript,
    outcome: 'complete',
    engine: 'bench',
    sidecarPath: null,
    now: Date.now(),
  });
  if (!ok) throw new Error(`task ${task.id} was not ours to complete`);
  done++;
}
const finishedAt = Date.now();
await store.close();
console.log(JSON.stringify({ done, finishedAt }));
