import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BadRequest, HarkError, toHarkError } from '../../src/core/errors.js';
import type { HarkStore } from '../../src/core/store.js';
import { openStore } from '../../src/db/openStore.js';
import { PostgresStore } from '../../src/db/postgres/postgresStore.js';
import { encodeCursor } from '../../src/db/rows.js';
import { SqliteStore } from '../../src/db/sqliteStore.js';
import { createTestDatabase, postgresServerForFile } from '../helpers/postgres.js';
import { audio } from './storeContract.js';

// What only a server shared by several nodes can show: each PostgresStore here is one node
// (a pool of its own) on the same database.
const server = postgresServerForFile();
const T0 = 1_700_000_000_000;

if (server) {
  describe('PostgreSQL store: several nodes on one database', () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function database() {
      const db = await createTestDatabase(server?.url() ?? '');
      cleanups.push(db.drop);
      return db;
    }
    async function node(url: string): Promise<HarkStore> {
      const store = await PostgresStore.open(url);
      cleanups.push(() => store.close());
      return store;
    }

    it('migrates once when several nodes start at the same moment', async () => {
      const db = await database();
      await Promise.all([1, 2, 3, 4].map(() => node(db.url)));
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT version, name FROM schema_migrations');
        expect(rows).toEqual([
          { version: 1, name: 'init' },
          { version: 2, name: 'task_attempts' },
          { version: 3, name: 'leases' },
        ]);
      } finally {
        await client.end();
      }
    });

    it('gives every task to exactly one of several workers claiming at once', async () => {
      const db = await database();
      const nodes = await Promise.all([1, 2, 3, 4].map(() => node(db.url)));
      const first = nodes[0] as HarkStore;
      await first.tasks.addTasks(
        Array.from({ length: 40 }, (_, i) => audio(`f${i}.wav`)),
        T0,
        2,
      );
      const claims = await Promise.all(
        nodes.map(async (store, n) => {
          const ids: number[] = [];
          for (;;) {
            const task = await store.tasks.claimNext(`worker-${n}`, T0 + 1);
            if (!task) return ids;
            ids.push(task.id);
          }
        }),
      );
      const all = claims.flat();
      expect(all).toHaveLength(40);
      expect(new Set(all).size).toBe(40);
      expect(await first.tasks.getCounts()).toMatchObject({ pending: 0, processing: 40 });
    });

    it('queues a batch in its own order, each audio once, in two statements', async () => {
      const store = await node((await database()).url);
      await store.tasks.addTask(audio('known.wav'), T0, 2);
      const names = ['z.wav', 'a.wav', 'known.wav', 'm.wav', 'a.wav', 'b.wav'];
      expect(
        await store.tasks.addTasks(
          names.map((name) => audio(name)),
          T0 + 1,
          2,
        ),
      ).toBe(4);
      const order: string[] = [];
      for (
        let task = await store.tasks.claimNext('w', T0 + 2);
        task;
        task = await store.tasks.claimNext('w', T0 + 2)
      )
        order.push(task.audioPath);
      expect(order).toEqual(['known.wav', 'z.wav', 'a.wav', 'm.wav', 'b.wav']);
      expect(await store.tasks.addTasks([], T0, 2)).toBe(0);
    });

    it('never revives a task one node cancels while its worker on another gives it back', async () => {
      const db = await database();
      const [worker, user] = [await node(db.url), await node(db.url)];
      await worker.tasks.addTasks(
        Array.from({ length: 30 }, (_, i) => audio(`r${i}.wav`)),
        T0,
        2,
      );
      const held: number[] = [];
      for (
        let task = await worker.tasks.claimNext('w', T0 + 1);
        task;
        task = await worker.tasks.claimNext('w', T0 + 1)
      )
        held.push(task.id);
      // Either order is fine (given back then cancelled, or cancelled and the give-back refused);
      // a give-back that read the row, lost the race, and wrote 'pending' over 'cancelled' is not.
      await Promise.all(
        held.flatMap((id) => [
          worker.tasks.requeueTask(id, 'w', T0 + 2, { preempted: true }),
          user.tasks.cancelTask(id, T0 + 2),
        ]),
      );
      expect(await user.tasks.getCounts()).toMatchObject({ pending: 0, processing: 0, cancelled: 30 });
    });

    it('reports a connection the server cut mid-call as trouble to wait out, and carries on after it', async () => {
      const db = await database();
      const store = await node(db.url);
      await store.tasks.addTask(audio('a.wav'), T0, 2);
      const task = await store.tasks.claimNext('w', T0 + 1);
      if (!task) throw new Error('expected a task');
      const admin = new pg.Client({ connectionString: db.url, application_name: 'hark-test-admin' });
      await admin.connect();
      try {
        // Hold the row, so the node's give-back waits on it in the server, then cut the node off.
        await admin.query('BEGIN');
        await admin.query('SELECT id FROM background_tasks WHERE id = $1 FOR UPDATE', [task.id]);
        const cut = store.tasks
          .requeueTask(task.id, 'w', T0 + 2, { preempted: false })
          .catch((e: unknown) => e);
        const waiting = `SELECT pid FROM pg_stat_activity
                         WHERE application_name = 'hark' AND datname = current_database() AND wait_event_type = 'Lock'`;
        while ((await admin.query(waiting)).rowCount === 0) await new Promise((r) => setImmediate(r));
        await admin.query(`SELECT pg_terminate_backend(pid) FROM (${waiting}) w`);
        expect(toHarkError(await cut)).toMatchObject({ kind: 'database_locked', retryable: true });
        await admin.query('ROLLBACK');
      } finally {
        await admin.end();
      }
      expect(await store.tasks.requeueTask(task.id, 'w', T0 + 3, { preempted: false })).toBe(true);
      expect(await store.tasks.getTask(task.id)).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('stops every node claiming at the next claim once any node pauses', async () => {
      const db = await database();
      const [a, b] = [await node(db.url), await node(db.url)];
      await a.tasks.addTask(audio('a.wav'), T0, 2);
      await a.settings.setPause({ paused: true, reason: 'user', since: T0 });
      expect(await b.tasks.claimNext('worker-b', T0)).toBeNull();
      await a.settings.setPause({ paused: false, reason: null, since: null });
      expect((await b.tasks.claimNext('worker-b', T0))?.audioPath).toBe('a.wav');
    });

    it('moves the data version when any node commits a change, and not for a write that changed nothing', async () => {
      const db = await database();
      const [a, b] = [await node(db.url), await node(db.url)];
      const before = await a.dataVersion();
      expect(await b.tasks.claimNext('worker-b', T0)).toBeNull(); // an empty claim is no change
      expect(await b.tasks.saveProgress(42, 'worker-b', 0.5, T0)).toBe(false);
      expect(await a.dataVersion()).toBe(before);
      await b.tasks.addTask(audio('a.wav'), T0, 2);
      const after = await a.dataVersion();
      expect(after).toBeGreaterThan(before);
      await b.settings.setSetting('x', 'y');
      expect(await a.dataVersion()).toBeGreaterThan(after);
    });

    it('refuses, untouched, a database a newer Hark has migrated', async () => {
      const db = await database();
      await (await node(db.url)).close();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)`,
        );
      } finally {
        await client.end();
      }
      const refused = await PostgresStore.open(db.url).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(HarkError);
      expect(refused).toMatchObject({ kind: 'database_too_new' });
    });

    it('is what openStore opens for a postgres:// URL', async () => {
      const store = await openStore((await database()).url);
      cleanups.push(() => store.close());
      expect(store).toBeInstanceOf(PostgresStore);
      await store.tasks.addTask(audio('a.wav'), T0, 2);
      expect(await store.tasks.getCounts()).toMatchObject({ pending: 1 });
    });

    it('answers a forged cursor with Bad Request, not a server error', async () => {
      const store = await node((await database()).url);
      const forged = encodeCursor(['x', 0, 0]);
      await expect(
        store.tasks.listTasks({ status: 'pending', limit: 5, cursor: forged }),
      ).rejects.toBeInstanceOf(BadRequest);
      await expect(
        store.transcriptions.listTranscriptions({ limit: 5, cursor: encodeCursor(['1', 2]) }),
      ).rejects.toBeInstanceOf(BadRequest);
    });
  });

  describe('PostgreSQL search finds what SQLite finds', () => {
    const texts: Record<string, string> = {
      'meetings/2026-01-05-standup.wav': 'Café au lait with Zoë, then the naïve plan',
      'notes/don-t-forget.m4a': "Don't forget the keys; it's 10:30",
      'ru/заметка.ogg': 'Встреча в пятницу, йогурт',
      'el/σημείωση.wav': 'Καλή μέρα, άνθρωπε',
      'jp/メモ.wav': '東京で会議',
      'mixed/Straße_Überweg.mp3': 'ÉCOLE, École, ecole; numbers 42 and 4200',
    };
    const queries = [
      'cafe',
      'CAFÉ AU',
      'zoe naive',
      'dont',
      "don't",
      'don t',
      'forget keys',
      '10 30',
      'встре',
      'пятницу',
      '東京',
      '東京で',
      '東京て',
      'йогурт',
      'иогурт',
      'άνθρωπε',
      'ανθρωπε',
      'καλη',
      'メモ',
      'strasse',
      'straße',
      'uberweg',
      'ecol',
      '42',
      '420',
      'standup 2026',
      'meetings',
      'wav',
      'nothing here',
      '"); DROP',
      '*',
      '',
    ];

    it('returns the same transcriptions for every query', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hark-search-'));
      const db = await createTestDatabase(server?.url() ?? '');
      const sqlite = await SqliteStore.open(join(dir, 'hark.db'));
      const postgres = await PostgresStore.open(db.url);
      try {
        for (const store of [sqlite, postgres]) {
          let n = 0;
          for (const [path, text] of Object.entries(texts)) {
            n++;
            await store.transcriptions.createTranscription({
              id: `t${n}`,
              audioPath: path,
              source: 'recording',
              recordedAt: T0 + n,
              now: T0,
            });
            await store.transcriptions.completeRecording({
              id: `t${n}`,
              transcript: { text, segments: [], duration: 1 },
              outcome: 'complete',
              engine: 'fake',
              sidecarPath: null,
              now: T0 + n,
            });
          }
        }
        const results = async (store: HarkStore, q: string) =>
          (await store.transcriptions.listTranscriptions({ q, limit: 50 })).transcriptions.map((t) => t.id);
        const differences: string[] = [];
        for (const q of queries) {
          const [expected, actual] = [await results(sqlite, q), await results(postgres, q)];
          if (JSON.stringify(expected) !== JSON.stringify(actual))
            differences.push(`${q}: sqlite ${expected.join(',')} postgres ${actual.join(',')}`);
        }
        expect(differences).toEqual([]);
        // And the cases are not vacuous: most queries find something.
        expect((await results(postgres, 'cafe')).length).toBe(1);
      } finally {
        await sqlite.close();
        await postgres.close();
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
