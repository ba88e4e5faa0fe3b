// Claims and completes tasks from a shared database as fast as it can for a
// while, printing each claimed id: one side of the two-process claim test.
import { SqliteStore } from '../../src/db/sqliteStore.js';

const [dbPath, workerId, seconds] = process.argv.slice(2) as [string, string, string];
const store = SqliteStore.open(dbPath);
const until = Date.now() + Number(seconds) * 1000;
const claimed: number[] = [];
// Start together: say so, then wait for the go signal on stdin.
process.stderr.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
while (Date.now() < until) {
  const task = await store.tasks.claimNext(workerId, Date.now());
  if (!task) break;
  claimed.push(task.id);
  await store.tasks.completeTask({
    taskId: task.id,
    workerId,
    transcript: { text: `done by ${workerId}`, segments: [], duration: 1 },
    outcome: 'complete',
    engine: 'claim-loop',
    sidecarPath: null,
    now: Date.now(),
  });
}
await store.close();
process.stdout.write(JSON.stringify(claimed));
