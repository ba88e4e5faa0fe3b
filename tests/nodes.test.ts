import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HarkStore } from '../src/core/store.js';
import { PostgresStore } from '../src/db/postgres/postgresStore.js';
import { fakeAudio } from '../src/transcription/fakeEngine.js';
import { readEngineLog } from './helpers/engineLog.js';
import { untilHarkReady } from './helpers/harkReady.js';
import { createTestDatabase, postgresServerForFile } from './helpers/postgres.js';
import { CLI, exited, spawnTs, waitForOutput } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

// Real processes on one PostgreSQL database: the main node (`hark start --store …`) and worker
// nodes (`hark worker --store …`), each with a data folder of its own, as on several machines.
const server = postgresServerForFile();

/** A file written a minute ago: settled, so the first scan takes it. */
function oldFile(notes: string, name: string, content: string): void {
  writeFileSync(join(notes, name), content);
  const minuteAgo = Date.now() / 1000 - 60;
  utimesSync(join(notes, name), minuteAgo, minuteAgo);
}

const NODE_ID = /^(.+):(\d+):(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/;

if (server) {
  describe('several nodes on one PostgreSQL queue', () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setup() {
      const db = await createTestDatabase(server?.url() ?? '');
      cleanups.push(db.drop);
      const dir = tempDir();
      const log = join(dir, 'engine.log');
      const env = { ...process.env, HARK_ENGINE_LOG: log, HARK_PORT: '0', HARK_DATABASE_URL: '' };
      const run = (command: string, notes: string, data: string, ...extra: string[]) => {
        const child = spawnTs(
          CLI,
          [command, '--store', db.url, '--notes', notes, '--data', data, '--engine', 'fake', ...extra],
          { env },
        );
        const exit = exited(child);
        cleanups.push(async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exit;
        });
        return { child, exit };
      };
      let store: HarkStore | null = null;
      const open = async () => {
        store ??= await PostgresStore.open(db.url);
        const opened = store;
        cleanups.push(() => opened.close());
        return opened;
      };
      return { dir, log, run, open, url: db.url };
    }

    it('a main node and a worker share the work: both transcribe, nothing twice, each row naming its node', async () => {
      const s = await setup();
      const notes = join(s.dir, 'notes');
      mkdirSync(notes);
      const files = Array.from({ length: 10 }, (_, i) => `note-${i}.wav`);
      for (const file of files) {
        oldFile(
          notes,
          file,
          fakeAudio({ text: `words of ${file}`, duration: 60, chunkSeconds: 30, msPerChunk: 300 }),
        );
      }
      // The worker first (it waits for work), then the main node, whose first scan queues the files.
      const worker = s.run('worker', notes, join(s.dir, 'worker-data'));
      await untilHarkReady(worker.child, join(s.dir, 'worker-data'));
      const main = s.run('start', notes, join(s.dir, 'main-data'), '--no-watch', '--no-serve');
      await untilHarkReady(main.child, join(s.dir, 'main-data'));

      // Who holds what, as the rows say while it runs.
      const store = await s.open();
      const holders = new Map<number, string>();
      await eventually(
        async () => {
          for (const task of await store.tasks.getProcessingTasks()) {
            if (task.lockedBy) holders.set(task.id, task.lockedBy);
          }
          return (await store.tasks.getCounts()).completed === files.length;
        },
        'every file transcribed',
        { timeoutMs: 60_000, intervalMs: 25 },
      );

      const nodes = new Set(holders.values());
      expect([...nodes].map((id) => NODE_ID.exec(id)?.slice(1, 3))).toEqual(
        expect.arrayContaining([
          [hostname(), String(worker.child.pid)],
          [hostname(), String(main.child.pid)],
        ]),
      );
      // Each file heard to its end once, and by both nodes between them.
      const done = readEngineLog(s.log).filter((entry) => entry.event === 'done');
      expect(done.map((entry) => entry.file.slice(entry.file.lastIndexOf('/') + 1)).sort()).toEqual(
        [...files].sort(),
      );
      const byPid = new Set(done.map((entry) => entry.pid));
      expect(byPid).toEqual(new Set([worker.child.pid, main.child.pid]));
      const page = await store.transcriptions.listTranscriptions({ limit: 50 });
      expect(page.transcriptions.filter((t) => t.status === 'complete')).toHaveLength(files.length);

      // SIGTERM stops both cleanly.
      worker.child.kill('SIGTERM');
      main.child.kill('SIGTERM');
      expect((await worker.exit).code).toBe(0);
      expect((await main.exit).code).toBe(0);
      expect(await store.tasks.getCounts()).toMatchObject({ pending: 0, processing: 0, failed: 0 });
    }, 120_000);

    it('a worker whose notes folder lacks a file leaves it, and a node that has it transcribes it', async () => {
      const s = await setup();
      const mainNotes = join(s.dir, 'main-notes');
      const workerNotes = join(s.dir, 'worker-notes'); // its mount lacks the file
      mkdirSync(mainNotes);
      mkdirSync(workerNotes);
      oldFile(mainNotes, 'only-here.wav', fakeAudio({ text: 'found it', duration: 30, chunkSeconds: 30 }));
      // Queued from the main node's folder (a scan), then offered to the worker alone.
      const scan = s.run('scan', mainNotes, join(s.dir, 'main-data'));
      expect((await scan.exit).code).toBe(0);
      const worker = s.run('worker', workerNotes, join(s.dir, 'worker-data'));
      await waitForOutput(
        worker.child,
        /only-here\.wav is not in this node’s notes folder: left for another node/,
        30_000,
      );
      const store = await s.open();
      const [task] = (await store.tasks.listTasks({ limit: 5 })).tasks;
      expect(task).toMatchObject({ status: 'pending', attempts: 0, errorKind: null });
      worker.child.kill('SIGTERM');
      expect((await worker.exit).code).toBe(0);

      const main = s.run('start', mainNotes, join(s.dir, 'main-data'), '--exit-when-idle');
      const ended = await main.exit;
      expect(ended.code, ended.stderr).toBe(0);
      const finished = await store.tasks.getTask(task?.id ?? 0);
      expect(finished).toMatchObject({ status: 'completed', errorKind: null });
      expect((await store.transcriptions.getTranscription(finished?.transcriptionId ?? ''))?.text).toBe(
        'found it',
      );
      const heard = readEngineLog(s.log).filter((entry) => entry.event === 'start');
      expect(heard.map((entry) => entry.pid)).toEqual([main.child.pid]);
    }, 120_000);

    it('a worker applies settings saved by another process while it runs (NOTIFY), from the next task on', async () => {
      const s = await setup();
      const notes = join(s.dir, 'notes');
      mkdirSync(notes);
      const worker = s.run('worker', notes, join(s.dir, 'worker-data'));
      await untilHarkReady(worker.child, join(s.dir, 'worker-data'));
      const store = await s.open();
      const transcribe = async (name: string, count: number) => {
        oldFile(notes, name, fakeAudio({ text: `words of ${name}`, duration: 30, chunkSeconds: 30 }));
        expect((await s.run('scan', notes, join(s.dir, 'main-data'), '--json').exit).code).toBe(0);
        await eventually(
          async () => (await store.tasks.getCounts()).completed === count,
          `${name} transcribed by the worker`,
          { timeoutMs: 30_000 },
        );
      };
      // The sidecar is written just after the task completes.
      const written = (name: string) => eventually(() => existsSync(join(notes, name)), `${name} written`);
      await transcribe('before.wav', 1);
      await written('before.txt');

      // Saved from another process, on another data folder: the worker hears of it through the store.
      const applied = waitForOutput(
        worker.child,
        /settings changed by another process, applied: sidecar_format/,
        30_000,
      );
      const set = await s.run('settings', notes, join(s.dir, 'main-data'), 'set', 'sidecar_format', 'md')
        .exit;
      expect(set.code, set.stderr).toBe(0);
      await applied;
      await transcribe('after.wav', 2);
      await written('after.md');
      expect(existsSync(join(notes, 'after.txt'))).toBe(false);

      worker.child.kill('SIGTERM');
      expect((await worker.exit).code).toBe(0);
    }, 120_000);

    it('refuses a worker on SQLite, and says in one line when the server cannot be reached', async () => {
      const s = await setup();
      const notes = join(s.dir, 'notes');
      const sqlite = await exited(
        spawnTs(CLI, ['worker', '--notes', notes, '--data', join(s.dir, 'd1'), '--engine', 'fake'], {
          env: { ...process.env, HARK_DATABASE_URL: '' },
        }),
      );
      expect(sqlite.code).toBe(2);
      expect(sqlite.stderr.trim()).toMatch(
        /^hark: hark worker needs a shared PostgreSQL store: give --store postgres:/,
      );
      expect(sqlite.stderr.trim().split('\n')).toHaveLength(1);

      const down = new URL(s.url);
      down.port = '1';
      const unreachable = await exited(
        spawnTs(CLI, ['status', '--store', down.toString(), '--notes', notes, '--data', join(s.dir, 'd2')]),
      );
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr.trim()).toMatch(
        /^hark: Could not open the PostgreSQL store at postgres:\/\/.*:1\/.*ECONNREFUSED.* \[store_unreachable\]$/,
      );
    }, 60_000);
  });
}
