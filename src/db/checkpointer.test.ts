import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { eventually } from '../../tests/helpers/wait.js';
import { transcriptionIdFor } from '../core/orphans.js';
import type { NewAudio } from '../core/types.js';
import { SqliteStore } from './sqliteStore.js';

const audio = (i: number): NewAudio => ({
  transcriptionId: transcriptionIdFor(`f${i}.wav`),
  audioPath: `f${i}.wav`,
  source: 'orphan',
  originalName: null,
  taskType: 'transcribe_orphan',
  priority: 0,
  fileSize: 1,
  fileMtimeMs: 0,
});

describe('BackgroundCheckpointer', () => {
  it('copies the WAL back into the database from its own thread, and ends with the store', async () => {
    const file = join(tempDir('hark-checkpointer-'), 'hark.db');
    const store = SqliteStore.open(file, { backgroundCheckpoints: true });
    // The committing connection would not checkpoint before 25,000 pages: only the thread can.
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(25_000);
    const empty = statSync(file).size;
    await store.tasks.addTasks(
      Array.from({ length: 5_000 }, (_, i) => audio(i)),
      0,
      2,
    );
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    await eventually(() => statSync(file).size > empty + 1_000_000, 'the rows to reach the database file');
    expect((await store.tasks.getCounts()).pending).toBe(5_000);

    await store.close(); // returns only once the thread has closed its connection
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = SqliteStore.open(file);
    expect((await reopened.tasks.getCounts()).pending).toBe(5_000);
    await reopened.close();
  });

  it('is not started for a short-lived command', async () => {
    const store = SqliteStore.open(join(tempDir('hark-checkpointer-'), 'hark.db'));
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(4_000);
    await store.close();
  });
});
