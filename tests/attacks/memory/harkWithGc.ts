/**
 * A real Hark (HarkApp: store, worker with the fake engine, server) in a
 * process of its own, for measuring its memory: run with --expose-gc. It
 * prints {"url": …} once serving; each line "gc" on stdin collects garbage
 * fully and prints {"heapUsed", "rss", "external"} in bytes.
 *   node --expose-gc --import tsx tests/attacks/memory/harkWithGc.ts <notes> <data>
 */
import { createInterface } from 'node:readline';
import { HarkApp } from '../../../src/app/harkApp.js';
import { resolveConfig } from '../../../src/services/config.js';
import { silentLog } from '../../../src/services/log.js';
import { FakeEngine } from '../../../src/transcription/fakeEngine.js';

const [notes = '', data = ''] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const app = await HarkApp.start(resolveConfig({ notes, data, port: '0' }, {}), {
  log: silentLog,
  serve: true,
  watch: false,
  engine: new FakeEngine({ msPerChunk: 5 }),
});
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'gc') continue;
  // Several passes: finalizers and weak references free more on the next one.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, rss, external } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ heapUsed, rss, external })}\n`);
}
await app.stop();
