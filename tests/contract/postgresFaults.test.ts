import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyAudio, transcriptionIdFor } from '../../src/core/orphans.js';
import { parseSharedRecording, RECORDING_KEY } from '../../src/core/preemption.js';
import type { StoreChange } from '../../src/core/store.js';
import type { NewAudio } from '../../src/core/types.js';
import { PostgresStore } from '../../src/db/postgres/postgresStore.js';
import { type FakeAudioSpec, fakeAudio } from '../../src/transcription/fakeEngine.js';
import { type PgNode, startPgNode } from '../helpers/pgNode.js';
import { createTestDatabase, postgresServerForFile, restartableServerForFile } from '../helpers/postgres.js';
import { exited, spawnTs, waitForOutput } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';
import { eventually } from '../helpers/wait.js';

// The faults of several nodes on one PostgreSQL database (issue 10), each real: a node is a
// store with its own pool and change feed; a killed node is a child process SIGKILLed; a
// partition is pg_terminate_backend of one node's connections; a restart stops the server.
const NODE_PROCESS = fileURLToPath(new URL('../helpers/pgNodeProcess.ts', import.meta.url));
const LEASE_MS = 2_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function notesFolder(): string {
  const dir = join(tempDir(), 'notes');
  mkdirSync(dir);
  return dir;
}

/** Writes a fake audio file into the shared notes folder and describes it for the queue. */
function audioFile(notesDir: string, path: string, spec: FakeAudioSpec = {}): NewAudio {
  const content = fakeAudio(spec);
  writeFileSync(join(notesDir, path), content);
  return {
    transcriptionId: transcriptionIdFor(path),
    audioPath: path,
    ...classifyAudio(path),
    originalName: null,
    fileSize: null,
    fileMtimeMs: null,
  };
}

async function node(
  url: string,
  notesDir: string,
  options: Parameters<typeof startPgNode>[2],
): Promise<PgNode> {
  const started = await startPgNode(url, notesDir, options);
  cleanups.push(() => started.stop());
  return started;
}

async function store(url: string, applicationName = 'hark test'): Promise<PostgresStore> {
  const opened = await PostgresStore.open(url, { applicationName });
  cleanups.push(() => opened.close());
  return opened;
}

const server = postgresServerForFile();
if (server) {
  describe('PostgreSQL nodes: leases and wake-ups', () => {
    async function database(): Promise<string> {
      const db = await createTestDatabase(server?.url() ?? '');
      cleanups.push(db.drop);
      return db.url;
    }

    it('wakes a waiting worker on another node at once when a task is added (LISTEN/NOTIFY, no poll)', async () => {
      const url = await database();
      const notes = notesFolder();
      // A node whose worker sleeps with nothing to wait for: no backoff, no reclaim due for 30 s.
      const waiting = await node(url, notes, { id: 'waiting-node' });
      await waiting.worker.nextIdle();
      const adder = await store(url);
      const claimed = waiting.events.waitFor('task-update', (t) => t.status === 'processing');
      const addedAt = Date.now();
      const { task } = await adder.tasks.addTask(audioFile(notes, 'a.wav'), Date.now(), 2);
      const seen = await claimed;
      expect(seen.id).toBe(task?.id);
      expect(seen.lockedBy).toBe('waiting-node');
      expect(Date.now() - addedAt).toBeLessThan(1_000);
      // And the status the live stream shows follows another node's pause.
      const paused = waiting.events.waitFor('pause-changed', (p) => p.paused);
      await adder.settings.setPause({ paused: true, reason: 'user', since: Date.now() });
      expect((await paused).reason).toBe('user');
    });

    it('tells every commit on the feed; when its connection is cut, says so, polls, reconnects and catches up', async () => {
      const url = await database();
      const writer = await store(url);
      const reader = await PostgresStore.open(url, {
        changeFeed: {
          fallbackPollMs: 50,
          applicationName: 'hark-listen feed-test',
          reconnectDelayMs: () => 300,
        },
      });
      cleanups.push(() => reader.close());
      const feed = reader.changes();
      await feed.ready;
      const told: StoreChange[] = [];
      feed.on((change) => told.push(change));
      const next = (predicate: (change: StoreChange) => boolean) =>
        new Promise<StoreChange>((resolve) => {
          const off = feed.on((change) => {
            if (predicate(change)) {
              off();
              resolve(change);
            }
          });
        });

      let changed = next((c) => c.kind === 'changed' && c.table === 'app_state');
      await writer.settings.setSetting('k', 'v1');
      await changed;
      // A write that changed nothing is told to no one (idle workers must not wake each other).
      expect(await writer.tasks.claimNext('w', Date.now())).toBeNull();

      const down = next((c) => c.kind === 'connection' && !c.up);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      cleanups.push(() => admin.end());
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hark-listen feed-test'`,
      );
      await down;
      // While nobody listens, the poll notices a commit; once back, one catch-all change is told.
      changed = next((c) => c.kind === 'changed' && c.table === '*');
      await writer.settings.setSetting('k', 'v2');
      const up = next((c) => c.kind === 'connection' && c.up);
      await changed;
      await up;
      expect(told.filter((c) => c.kind === 'connection')).toEqual([
        { kind: 'connection', up: false, reason: expect.any(String) },
        { kind: 'connection', up: true },
      ]);
      expect(told.some((c) => c.kind === 'changed' && c.table === 'background_tasks')).toBe(false);
      changed = next((c) => c.kind === 'changed' && c.table === 'app_state');
      await writer.settings.setSetting('k', 'v3');
      await changed;
    });

    it('pre-empts the background work of the nodes on the recording machine only, by default', async () => {
      const url = await database();
      const notes = notesFolder();
      const neighbour = await node(url, notes, { id: 'laptop:2:t', host: 'laptop', msPerChunk: 100 });
      const adder = await store(url);
      const { task } = await adder.tasks.addTask(
        audioFile(notes, 'long.wav', { duration: 3000 }),
        Date.now(),
        2,
      );
      if (!task) throw new Error('not queued');
      await eventually(
        async () => (await adder.tasks.getTask(task.id))?.lockedBy === 'laptop:2:t',
        'the claim',
      );
      const main = await node(url, notes, { id: 'laptop:1:t', host: 'laptop', sharesRecording: true });
      const desktop = await node(url, notes, { id: 'desktop:3:t', host: 'desktop', msPerChunk: 100 });

      main.recording.set('Recording');
      // The neighbour gives the task back (a pre-emption); the other machine's node takes it.
      const taken = await eventually(async () => {
        const row = await adder.tasks.getTask(task.id);
        return row?.lockedBy === 'desktop:3:t' ? row : undefined;
      }, 'the other machine to take the task');
      expect(taken).toMatchObject({ status: 'processing', preemptedCount: 1 });
      expect(neighbour.others.mayRun()).toBe(false);
      expect(desktop.others.mayRun()).toBe(true);

      main.recording.set('Idle');
      await eventually(() => neighbour.others.mayRun(), 'the neighbour to run again');
    }, 60_000);

    it('stops yielding to a recording node that died mid-recording once its record lapses, not before', async () => {
      const url = await database();
      const notes = notesFolder();
      const neighbour = await node(url, notes, { id: 'laptop:2:t', host: 'laptop', leaseMs: LEASE_MS });
      const mainNode = await startPgNode(url, notes, {
        id: 'laptop:1:t',
        host: 'laptop',
        sharesRecording: true,
        leaseMs: LEASE_MS,
      });
      let mainStopped = false;
      cleanups.push(() => (mainStopped ? undefined : mainNode.stop()));
      const reader = await store(url);
      const shared = async () => parseSharedRecording(await reader.settings.getSetting(RECORDING_KEY));

      mainNode.recording.set('Recording');
      await eventually(() => !neighbour.others.mayRun(), 'the neighbour to yield');
      // A recording longer than a lease keeps the others yielding: its node renews the record.
      const first = (await eventually(shared, 'the shared record'))?.expiresAt ?? 0;
      await eventually(async () => ((await shared())?.expiresAt ?? 0) > first, 'a renewal');
      await eventually(
        async () => ((await shared())?.expiresAt ?? 0) > Date.now() + LEASE_MS / 2,
        'a fresh record',
      );
      expect(neighbour.others.mayRun()).toBe(false);

      // The main node dies mid-recording (stopped without a word, its record still says Recording).
      const lastExpiry = (await shared())?.expiresAt ?? 0;
      await mainNode.stop();
      mainStopped = true;
      expect((await shared())?.state).toBe('Recording');
      await eventually(() => neighbour.others.mayRun(), 'the neighbour to run again once the record lapsed');
      expect(Date.now()).toBeGreaterThanOrEqual(lastExpiry);
    }, 60_000);

    it("reclaims a SIGKILLed node's task after its lease, forgiving the attempt, and another node completes it", async () => {
      const url = await database();
      const notes = notesFolder();
      const adder = await store(url);
      const { task } = await adder.tasks.addTask(
        audioFile(notes, 'long.wav', { duration: 600, msPerChunk: 200 }),
        Date.now(),
        0, // no retries: were the death counted against the file, it would fail
      );
      if (!task) throw new Error('not queued');
      const child = spawnTs(NODE_PROCESS, [url, notes, 'doomed-node', String(LEASE_MS), '200']);
      const exit = exited(child);
      await waitForOutput(child, new RegExp(`claimed ${task.id}`));
      // Dies after committing a window: the file is not what kills it.
      await eventually(
        async () => ((await adder.tasks.getTask(task.id))?.checkpointSeconds ?? 0) > 0,
        'a checkpoint',
      );
      child.kill('SIGKILL');
      expect((await exit).signal).toBe('SIGKILL');
      expect(await adder.tasks.getTask(task.id)).toMatchObject({
        status: 'processing',
        lockedBy: 'doomed-node',
      });

      const survivor = await node(url, notes, { id: 'survivor-node', leaseMs: LEASE_MS, msPerChunk: 1 });
      await eventually(() => survivor.completions.length > 0, 'the survivor to complete the task', {
        timeoutMs: 30_000,
      });
      expect(survivor.completions).toEqual([task.id]);
      expect(await adder.tasks.getTask(task.id)).toMatchObject({ status: 'completed', attempts: 1 });
      expect(survivor.lines.some((line) => /reclaimed 1 task/.test(line))).toBe(true);
    }, 60_000);

    it("refuses a partitioned node's late completion once its lease lapsed and another node took the task", async () => {
      const url = await database();
      const notes = notesFolder();
      const cutOff = await store(url, 'hark cut-off-node');
      await cutOff.tasks.addTask(
        audioFile(notes, 'a.wav', { text: 'heard by the second node' }),
        Date.now(),
        2,
      );
      const held = await cutOff.tasks.claimNext('cut-off-node', Date.now(), LEASE_MS);
      if (!held) throw new Error('expected a task');
      // The partition: every connection of the node is cut while it holds the task.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      cleanups.push(() => admin.end());
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hark cut-off-node'`,
      );
      expect(rowCount).toBeGreaterThan(0);

      const other = await node(url, notes, { id: 'other-node', leaseMs: LEASE_MS, msPerChunk: 1 });
      await eventually(() => other.completions.length > 0, 'the other node to complete the task', {
        timeoutMs: 30_000,
      });
      expect(other.completions).toEqual([held.id]);

      // The first node comes back with its result: refused, and the row keeps the second's.
      const late = await cutOff.tasks.completeTask({
        taskId: held.id,
        workerId: 'cut-off-node',
        transcript: { text: 'the late result', segments: [], duration: 1 },
        outcome: 'complete',
        engine: 'fake',
        sidecarPath: null,
        now: Date.now(),
      });
      expect(late).toBe(false);
      expect((await cutOff.transcriptions.getTranscription(held.transcriptionId))?.text).toBe(
        'heard by the second node',
      );
      expect(await cutOff.tasks.getTask(held.id)).toMatchObject({ status: 'completed', lockedBy: null });
    }, 60_000);
  });
}

const restartable = restartableServerForFile();
if (restartable) {
  describe('PostgreSQL restarted under load', () => {
    it('has every node wait, reconnect and carry on: nothing lost, nothing done twice', async () => {
      const db = await createTestDatabase(restartable.url());
      cleanups.push(db.drop);
      const notes = notesFolder();
      const nodes = await Promise.all(
        // A short lease: a claim the restart committed but never answered is its node's no more
        // than a few seconds, and a lease lapsing meanwhile must not make anything run twice.
        ['node-1', 'node-2', 'node-3'].map((id) =>
          node(db.url, notes, { id, msPerChunk: 15, leaseMs: 3_000 }),
        ),
      );
      const adder = await store(db.url);
      const files = Array.from({ length: 30 }, (_, i) => audioFile(notes, `f${i}.wav`, { duration: 120 }));
      await adder.tasks.addTasks(files, Date.now(), 2);
      const completions = () => nodes.reduce((n, each) => n + each.completions.length, 0);
      await eventually(() => completions() >= 5, 'the first completions');

      await adder.close();
      await restartable.down();
      await eventually(
        () => nodes.every((each) => each.lines.some((line) => /lost the database/.test(line))),
        'every node to notice the database is gone',
      );
      await restartable.up();
      await eventually(
        () => nodes.every((each) => each.lines.some((line) => /the database is back/.test(line))),
        'every node to see it back',
      );
      // Done once the database says so: a completion whose answer was cut off by the restart was
      // committed but not told to its node, which then found the task no longer its own.
      const after = await store(db.url);
      await eventually(
        async () => (await after.tasks.getCounts()).completed === files.length,
        'every file done',
        { timeoutMs: 60_000 },
      ).catch(async (error: unknown) => {
        const stuck = await after.tasks.getProcessingTasks();
        throw new Error(
          `${String(error)}: ${JSON.stringify(stuck)}\n${nodes.map((n) => n.lines.join('\n')).join('\n---\n')}`,
        );
      });
      expect(await after.tasks.getCounts()).toMatchObject({ pending: 0, processing: 0, failed: 0 });
      const all = nodes.flatMap((each) => each.completions);
      expect(new Set(all).size, 'no task completed twice').toBe(all.length);
      const { transcriptions } = await after.transcriptions.listTranscriptions({ limit: 100 });
      expect(transcriptions.map((t) => t.audioPath).sort()).toEqual(files.map((f) => f.audioPath).sort());
      expect(
        transcriptions.every((t) => t.status === 'complete' && t.text?.startsWith('transcript of')),
      ).toBe(true);
      for (const each of nodes) {
        expect(each.lines.filter((line) => /lost the database/.test(line))).toHaveLength(1);
        expect(each.lines.filter((line) => /the database is back/.test(line))).toHaveLength(1);
      }
    }, 120_000);
  });
}
