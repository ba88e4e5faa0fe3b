import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPostgresMigrations } from '../src/db/postgres/migrate.js';
import { PostgresStore } from '../src/db/postgres/postgresStore.js';
import { createTestDatabase, postgresServerForFile } from './helpers/postgres.js';

/**
 * A PostgreSQL database written by an older Hark (38a2584, the last landing before migration
 * 0006): a plain-SQL pg_dump made by tests/fixtures/upgrade/make-postgres.sh 38a2584, which runs
 * that commit's own CLI with --store on a folder of fake audio (scan, `hark start
 * --exit-when-idle`, two files more scanned), queues a recording the way that release did (an
 * orphan at High priority), then dumps the database with INSERTs (README.md there).
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/upgrade/hark-pg-38a2584.sql', import.meta.url));

const server = postgresServerForFile();

describe.runIf(server)('upgrade of a PostgreSQL database made by an older release (38a2584)', () => {
  let drop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await drop?.();
    drop = null;
  });

  it('keeps every note, transcript, task and attempt; recordings get their kind; the queue runs on', async () => {
    if (!server) return;
    const database = await createTestDatabase(server.url());
    drop = database.drop;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(readFileSync(FIXTURE, 'utf8'));
    } finally {
      await client.end();
    }

    const store = await PostgresStore.open(database.url);
    try {
      const versions = (
        await store.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
      ).rows;
      expect(versions.map((row) => row.version)).toEqual(loadPostgresMigrations().map((m) => m.version));

      const notes = (await store.transcriptions.listTranscriptions({ limit: 50 })).transcriptions;
      const byPath = new Map(notes.map((note) => [note.audioPath, note]));
      expect(byPath.get('2024-05-05/071500-voice-note.wav')).toMatchObject({
        status: 'complete',
        text: 'morning thoughts about the garden',
        title: '071500-voice-note',
      });
      // Found by the old release's scanner (not imported through Hark), so 'found', as it said.
      expect(byPath.get('imports/Meeting notes.m4a')).toMatchObject({
        text: 'the meeting went well',
        origin: 'found',
      });
      expect(byPath.get('Recordings/groceries again.wav')).toMatchObject({ text: 'milk eggs and bread' });
      expect(byPath.get('Recordings/20240612_184500.m4a')).toMatchObject({ text: 'evening walk' });
      expect(byPath.get('2024-05-06/120000-voice-note.webm')).toMatchObject({
        origin: 'recorded',
        status: 'pending',
      });

      const tasks = (await store.tasks.listTasks({ limit: 50 })).tasks.sort((a, b) => a.id - b.id);
      expect(tasks.map((task) => [task.id, task.taskType, task.status])).toEqual([
        [1, 'transcribe_imported', 'failed'],
        [2, 'transcribe_imported', 'completed'],
        [3, 'transcribe_imported', 'completed'],
        [4, 'transcribe_imported', 'completed'],
        [5, 'transcribe_orphan', 'completed'],
        [6, 'transcribe_imported', 'pending'],
        [7, 'transcribe_orphan', 'pending'],
        // 0006: the old release's recording, queued as an orphan at High priority, is a recording now.
        [8, 'transcribe_recording', 'pending'],
      ]);
      expect(await store.tasks.getCounts()).toEqual({
        pending: 3,
        processing: 0,
        completed: 4,
        failed: 1,
        cancelled: 0,
      });
      for (const id of [1, 2, 3, 4, 5]) {
        const attempts = await store.history.listAttempts(id);
        expect(attempts, `task ${id}`).toHaveLength(1);
        expect(attempts[0]).toMatchObject({ engine: 'fake', outcome: id === 1 ? 'failed' : 'completed' });
      }

      // The queue runs on: the recording first (High priority), and a new task takes a new id.
      const next = await store.tasks.claimNext('upgrade-test', Date.now());
      expect(next).toMatchObject({ id: 8, taskType: 'transcribe_recording' });
      // Search sees the old rows (their words indexed by the old release, titles by the backfill).
      const found = await store.transcriptions.listTranscriptions({ limit: 5, q: 'garden' });
      expect(found.transcriptions.map((note) => note.audioPath)).toEqual([
        '2024-05-05/071500-voice-note.wav',
      ]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
