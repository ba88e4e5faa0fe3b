import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/db/migrate.js';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { startTestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/upgrade/hark-98b98fb.db', import.meta.url));
const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

/** The notes folder the old release saw (make-sqlite.sh), so the pending tasks can run on. */
const FILES: Record<string, string> = {
  '2024-05-05/071500-voice-note.wav': '{"text":"morning thoughts about the garden","duration":2}',
  '2024-05-05/093000-voice-note.wav': '{"text":"recorded in hark","duration":2}',
  'Recordings/groceries again.wav': '{"text":"milk eggs and bread","duration":2}',
  'imports/Meeting notes.m4a': '{"text":"the meeting went well","duration":2}',
  'Recordings/20240612_184500.m4a': '{"text":"evening walk","duration":2}',
  'broken.wav': '{"text":"x","fail":"unreadable"}',
  'Recordings/later.wav': '{"text":"still to do","duration":2}',
  '2024-05-06/081000-voice-note.wav': '{"text":"queued but not heard","duration":2}',
};

describe('upgrade from a database made by an old release (98b98fb)', () => {
  it('keeps every row, backfills titles, origins and recorded times, and the queue runs on', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'), { recursive: true });
    copyFileSync(FIXTURE, join(dir, 'data', 'hark.db'));
    const june = new Date(2024, 5, 1, 10).getTime() / 1000;
    for (const [path, fake] of Object.entries(FILES)) {
      const file = join(dir, 'notes', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `{"fake":${fake}}`);
      utimesSync(file, june, june);
    }

    const store = SqliteStore.open(join(dir, 'data', 'hark.db'));
    try {
      const versions = store.db
        .prepare('SELECT version FROM schema_migrations ORDER BY version')
        .pluck()
        .all();
      expect(versions).toEqual(loadMigrations().map((migration) => migration.version));
      const rows = store.db
        .prepare(
          'SELECT audio_path, status, origin, title, recorded_at FROM transcriptions ORDER BY audio_path',
        )
        .all();
      expect(rows).toHaveLength(8);
      const byPath = Object.fromEntries(
        (rows as { audio_path: string }[]).map((row) => [row.audio_path, row]),
      ) as unknown as Record<string, { status: string; origin: string; title: string; recorded_at: number }>;
      expect(byPath['2024-05-05/071500-voice-note.wav']).toMatchObject({
        status: 'complete',
        origin: 'found',
        title: '071500-voice-note',
        recorded_at: local(2024, 5, 5, 7, 15),
      });
      expect(byPath['2024-05-05/093000-voice-note.wav']).toMatchObject({
        origin: 'recorded',
        recorded_at: local(2024, 5, 5, 9, 30),
      });
      expect(byPath['imports/Meeting notes.m4a']).toMatchObject({
        origin: 'imported',
        title: 'Meeting notes',
      });
      expect(byPath['Recordings/groceries again.wav']).toMatchObject({
        origin: 'found',
        title: 'groceries again',
      });
      expect(byPath['Recordings/20240612_184500.m4a']).toMatchObject({
        recorded_at: local(2024, 6, 12, 18, 45),
      });
      expect(byPath['broken.wav']).toMatchObject({ status: 'failed' });
      // 0007 rebuilt the tasks table (the recording kind): every task keeps its id and kind,
      // and the indexes, triggers and the id counter are all there again.
      expect(
        store.db.prepare('SELECT id, task_type, status FROM background_tasks ORDER BY id').all(),
      ).toEqual([
        { id: 1, task_type: 'transcribe_imported', status: 'failed' },
        { id: 2, task_type: 'transcribe_imported', status: 'completed' },
        { id: 3, task_type: 'transcribe_imported', status: 'completed' },
        { id: 4, task_type: 'transcribe_imported', status: 'completed' },
        { id: 5, task_type: 'transcribe_orphan', status: 'completed' },
        { id: 6, task_type: 'transcribe_imported', status: 'pending' },
        { id: 7, task_type: 'transcribe_orphan', status: 'pending' },
      ]);
      expect(
        store.db
          .prepare(
            `SELECT type || ' ' || name FROM sqlite_schema
             WHERE tbl_name = 'background_tasks' AND type IN ('index', 'trigger') ORDER BY type, name`,
          )
          .pluck()
          .all(),
      ).toEqual([
        'index background_tasks_claim_order',
        'index background_tasks_finished',
        'index background_tasks_lease',
        'index background_tasks_one_live_per_transcription',
        'index background_tasks_processing',
        'trigger background_tasks_count_delete',
        'trigger background_tasks_count_insert',
        'trigger background_tasks_count_update',
      ]);
      expect(
        store.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'background_tasks'").pluck().get(),
      ).toBe(7);
      expect(store.db.pragma('foreign_key_check')).toEqual([]);
      expect(await store.tasks.getCounts()).toEqual({
        pending: 2,
        processing: 0,
        completed: 4,
        failed: 1,
        cancelled: 0,
      });
    } finally {
      await store.close();
    }

    // The new Hark on the upgraded database: the two pending tasks run, nothing is queued twice.
    const t = await startTestApp({ dir });
    const worker = t.app.worker;
    if (worker) {
      const idle = worker.nextIdle();
      worker.wake();
      await idle;
    }
    const queue = (await t.request({ url: '/api/queue' })).json() as Record<string, number>;
    expect(queue).toMatchObject({ pending_count: 0, completed_count: 6, failed_count: 1 });
    const list = (await t.request({ url: '/api/transcriptions' })).json() as {
      transcriptions: { audio_path: string; title: string; transcription_text: string }[];
    };
    expect(list.transcriptions).toHaveLength(7);
    expect(list.transcriptions.find((n) => n.audio_path === 'Recordings/later.wav')).toMatchObject({
      title: 'later',
      transcription_text: 'still to do',
    });
    // Search sees the backfilled titles.
    const found = (await t.request({ url: '/api/transcriptions?q=meeting' })).json() as {
      transcriptions: { title: string }[];
    };
    expect(found.transcriptions.map((n) => n.title)).toEqual(['Meeting notes']);
  }, 60_000);
});
