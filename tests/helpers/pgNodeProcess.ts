// One worker node in a process of its own, for the tests that SIGKILL a node: the same node as
// tests/helpers/pgNode.ts, telling on stdout each task it claims and completes.
//   node --import tsx tests/helpers/pgNodeProcess.ts URL NOTES_DIR NODE_ID LEASE_MS MS_PER_CHUNK
import { startPgNode } from './pgNode.js';

const [url, notesDir, id, leaseMs, msPerChunk] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const node = await startPgNode(url, notesDir, {
  id,
  leaseMs: Number(leaseMs),
  msPerChunk: Number(msPerChunk),
});
node.events.on('task-update', (task) => {
  if (task.status === 'processing' && task.lockedBy === id) process.stdout.write(`claimed ${task.id}\n`);
});
const complete = node.queue.complete.bind(node.queue);
node.queue.complete = async (input, afterCommit) => {
  const done = await complete(input, afterCommit);
  if (done) process.stdout.write(`completed ${input.taskId}\n`);
  return done;
};
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void node.stop().then(() => process.exit(0));
});
