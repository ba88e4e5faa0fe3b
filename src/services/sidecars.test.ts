import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { createBus } from '../core/events.js';
import { silentLog } from '../core/log.js';
import { exportMarkdown } from '../core/markdown.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { NotesFolder } from '../files/notesFolder.js';
import { QueueManager } from '../queue/queueManager.js';
import { writePendingSidecars } from './sidecars.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A transcript committed, its sidecar not yet written (the process died in between). */
async function committedWithoutSidecar(sidecarPath: string) {
  const dir = tempDir();
  const store = SqliteStore.open(join(dir, 'hark.db'));
  closers.push(() => store.close());
  const queue = new QueueManager(store, new ManualClock(), createBus());
  mkdirSync(join(dir, 'notes', 'a'), { recursive: true });
  const notes = new NotesFolder(join(dir, 'notes'));
  await queue.createForegroundTranscription({
    id: 'rec',
    audioPath: 'a/rec.webm',
    source: 'recording',
    recordedAt: Date.UTC(2026, 10, 28, 7, 15),
  });
  const segments = [{ start: 0, end: 1.5, text: 'Buy: "milk"' }];
  await queue.completeRecording(
    {
      id: 'rec',
      transcript: { text: 'Buy: "milk"', segments, duration: 1.5, language: 'en' },
      outcome: 'complete',
      engine: 'fake',
      sidecarPath,
    },
    async () => {},
  );
  return { queue, notes, root: join(dir, 'notes') };
}

describe('writePendingSidecars', () => {
  it('writes a pending .txt as the text', async () => {
    const { queue, notes, root } = await committedWithoutSidecar('a/rec.txt');
    expect(await writePendingSidecars(queue, notes, silentLog)).toBe(1);
    expect(readFileSync(join(root, 'a/rec.txt'), 'utf8')).toBe('Buy: "milk"\n');
    expect(await queue.pendingSidecars()).toEqual([]);
  });

  it('writes a pending .md as the Markdown export of the committed row', async () => {
    const { queue, notes, root } = await committedWithoutSidecar('a/rec.md');
    expect(await writePendingSidecars(queue, notes, silentLog)).toBe(1);
    const row = await queue.getTranscription('rec');
    if (!row) throw new Error('no row');
    const written = readFileSync(join(root, 'a/rec.md'), 'utf8');
    expect(written).toBe(exportMarkdown(row));
    expect(written).toContain('recorded: "2026-11-28T07:15:00.000Z"');
    expect(written).toContain('[00:00] Buy: "milk"');
  });
});
