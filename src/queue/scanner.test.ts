import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTsAsNobody } from '../../tests/helpers/asNobody.js';
import { captureLog } from '../../tests/helpers/captureLog.js';
import { ManualClock } from '../../tests/helpers/manualClock.js';
import { MemoryNotes } from '../../tests/helpers/memoryNotes.js';
import { exited } from '../../tests/helpers/processes.js';
import { tempDir } from '../../tests/helpers/tmp.js';
import { createBus } from '../core/events.js';
import { classifyAudio, transcriptionIdFor } from '../core/orphans.js';
import { SqliteStore } from '../db/sqliteStore.js';
import { NotesFolder } from '../files/notesFolder.js';
import { QueueManager } from './queueManager.js';
import { OrphanScanner, type ScannerOptions } from './scanner.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function setup(options: ScannerOptions = {}) {
  const dir = tempDir();
  const notesDir = join(dir, 'notes');
  mkdirSync(notesDir);
  const clock = new ManualClock(Date.now() + 60_000);
  const store = SqliteStore.open(join(dir, 'data', 'hark.db'));
  closers.push(() => store.close());
  const queue = new QueueManager(store, clock, createBus());
  const scanner = new OrphanScanner(new NotesFolder(notesDir), queue, clock, options);
  const file = (path: string, content = 'audio') => {
    const full = join(notesDir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
    return full;
  };
  return { dir, notesDir, clock, store, queue, scanner, file };
}

/** The scanner on a notes folder in memory: for what it decides, not what the disk does. */
function memorySetup(options: ScannerOptions = {}) {
  const dir = tempDir();
  const clock = new ManualClock(Date.now() + 60_000);
  const store = SqliteStore.open(join(dir, 'data', 'hark.db'));
  closers.push(() => store.close());
  const queue = new QueueManager(store, clock, createBus());
  const notes = new MemoryNotes(() => clock.now());
  const scanner = new OrphanScanner(notes, queue, clock, options);
  return { clock, store, queue, notes, scanner };
}

describe('OrphanScanner', () => {
  it('queues every audio file of a 10,000-file tree once; a rescan adds nothing', async () => {
    const s = memorySetup();
    let audio = 0;
    for (let d = 0; d < 100; d++) {
      for (let f = 0; f < 100; f++) {
        const kind = f % 10;
        const name =
          kind < 6
            ? `${String(d).padStart(2, '0')}${String(f).padStart(4, '0')}-voice-note.${['wav', 'mp3', 'M4A'][f % 3]}`
            : kind === 6
              ? `notes-${f}.txt`
              : kind === 7
                ? `.hidden-${f}.wav`
                : kind === 8
                  ? `download-${f}.mp3.part`
                  : `Interview ${f}.OGG`;
        s.notes.write(`2026-${d}/${name}`);
        if (kind < 6 || kind === 9) audio++;
      }
    }
    const first = await s.scanner.scan();
    expect(first).toMatchObject({
      audioFiles: audio,
      queued: audio,
      adopted: 0,
      unsettled: 0,
      directories: 101,
    });
    expect((await s.store.tasks.getCounts()).pending).toBe(audio);
    const rescan = await s.scanner.scan();
    expect(rescan).toMatchObject({ audioFiles: audio, queued: 0 });
    expect((await s.store.tasks.getCounts()).pending).toBe(audio);
  });

  it('tells own recordings (transcribe_orphan) from imported files (transcribe_imported, original name kept)', async () => {
    const s = memorySetup();
    s.notes.write('2026-11-28/143015-voice-note.wav');
    s.notes.write('inbox/Board meeting – Q3.m4a');
    await s.scanner.scan();
    const tasks = (await s.store.tasks.listTasks({ status: 'pending', limit: 10 })).tasks;
    expect(tasks.map((t) => [t.audioPath, t.taskType, t.originalName, t.priority]).sort()).toEqual([
      ['2026-11-28/143015-voice-note.wav', 'transcribe_orphan', null, 0],
      ['inbox/Board meeting – Q3.m4a', 'transcribe_imported', 'Board meeting – Q3.m4a', 0],
    ]);
  });

  it('adopts a transcript beside the audio instead of queueing it', async () => {
    const s = memorySetup();
    s.notes.write('a/101010-voice-note.wav');
    s.notes.write('a/101010-voice-note.txt', 'typed up by hand\n');
    s.notes.write('b/lecture.mp3');
    s.notes.write('b/lecture.md', '# Lecture notes');
    s.notes.write('c/orphan.wav');
    const result = await s.scanner.scan();
    expect(result).toMatchObject({ audioFiles: 3, queued: 1, adopted: 2 });
    const list = await s.store.transcriptions.listTranscriptions({ limit: 10 });
    expect(list.transcriptions.map((t) => [t.audioPath, t.status, t.text, t.sidecarPath]).sort()).toEqual([
      ['a/101010-voice-note.wav', 'complete', 'typed up by hand', 'a/101010-voice-note.txt'],
      ['b/lecture.mp3', 'complete', '# Lecture notes', 'b/lecture.md'],
    ]);
    expect((await s.scanner.scan()).adopted).toBe(0);
  });

  it('leaves a file that is still being written for a later scan', async () => {
    const s = memorySetup({ settleMs: 3_000 });
    s.notes.write('growing.wav', 'part', s.clock.now() - 1_000); // written a second ago
    expect(await s.scanner.scan()).toMatchObject({ audioFiles: 1, queued: 0, unsettled: 1 });
    s.clock.advance(3_000);
    expect(await s.scanner.scan()).toMatchObject({ queued: 1, unsettled: 0 });
  });

  it('takes a file dated in the future once it has stayed the same for the settle time', async () => {
    const s = memorySetup({ settleMs: 3_000 });
    const tomorrow = s.clock.now() + 86_400_000;
    s.notes.write('from a phone with its clock ahead.wav', 'audio', tomorrow);
    expect(await s.scanner.scan()).toMatchObject({ queued: 0, unsettled: 1 });
    s.clock.advance(2_000);
    expect(await s.scanner.scan()).toMatchObject({ queued: 0, unsettled: 1 });
    s.clock.advance(1_000);
    expect(await s.scanner.scan()).toMatchObject({ queued: 1, unsettled: 0 });
  });

  it('waits the settle time again for a future-dated file that changed in between', async () => {
    const s = memorySetup({ settleMs: 3_000 });
    const tomorrow = s.clock.now() + 86_400_000;
    s.notes.write('growing.wav', 'part', tomorrow);
    await s.scanner.scan();
    s.clock.advance(3_000);
    s.notes.write('growing.wav', 'part and more', tomorrow);
    expect(await s.scanner.scan()).toMatchObject({ queued: 0, unsettled: 1 });
    s.clock.advance(3_000);
    expect(await s.scanner.scan()).toMatchObject({ queued: 1, unsettled: 0 });
  });

  it('reports, instead of losing without a word, a file whose name is not valid UTF-8', async () => {
    const { log, lines: logs } = captureLog();
    const s = setup({ log });
    s.file('fine.wav');
    // "café.wav" in Latin-1: the é is the single byte 0xE9.
    writeFileSync(
      Buffer.concat([Buffer.from(`${s.notesDir}/caf`), Buffer.from([0xe9]), Buffer.from('.wav')]),
      'x',
    );
    const result = await s.scanner.scan();
    expect(result).toMatchObject({ audioFiles: 2, queued: 1, skippedFiles: ['caf\uFFFD.wav'] });
    expect(logs).toEqual([
      'skipped caf\uFFFD.wav: its name is not valid UTF-8; rename it to have it transcribed',
    ]);
  });

  it('reports the second of two names that differ only in Unicode normalisation (one id), in one scan or later', async () => {
    const { log, lines: logs } = captureLog();
    const s = setup({ log });
    s.file('caf\u00e9.wav', 'composed');
    s.file('cafe\u0301.wav', 'decomposed');
    const first = await s.scanner.scan();
    expect(first).toMatchObject({ audioFiles: 2, queued: 1 });
    // Which of the two is met first is the directory's order; the other is reported, and why is logged.
    const [skipped] = first.skippedFiles;
    expect(['caf\u00e9.wav', 'cafe\u0301.wav']).toContain(skipped);
    expect(first.skippedFiles).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(new RegExp(`^skipped ${skipped}: .*only in Unicode normalisation`));
    // A fresh scanner (a restart) meets the twin again: the database still knows the first.
    const again = await new OrphanScanner(new NotesFolder(s.notesDir), s.queue, s.clock).scan();
    expect(again).toMatchObject({ queued: 0, skippedFiles: first.skippedFiles });
    expect((await s.store.tasks.getCounts()).pending).toBe(1);
  });

  it('never takes a file it is told to exclude (the recording being written)', async () => {
    const recording = new Set(['2026-11-28/120000-voice-note.webm']);
    const s = memorySetup({ exclude: () => recording });
    s.notes.write('2026-11-28/120000-voice-note.webm');
    expect((await s.scanner.scan()).queued).toBe(0);
    recording.clear();
    expect((await s.scanner.scan()).queued).toBe(1);
  });

  it('never takes a file Hark placed itself, even once its task is cancelled and the known paths reload', async () => {
    const s = memorySetup({ settleMs: 0 });
    await s.scanner.scan();
    s.notes.place('imports/Team call.wav');
    // The import's row is not written yet: a scan now must not take the file for an orphan.
    expect((await s.scanner.scan()).queued).toBe(0);
    const { task } = await s.queue.addTask({
      transcriptionId: transcriptionIdFor('imports/Team call.wav'),
      audioPath: 'imports/Team call.wav',
      ...classifyAudio('imports/Team call.wav'),
      fileSize: 5,
      fileMtimeMs: s.clock.now(),
    });
    if (!task) throw new Error('not queued');
    await s.queue.cancel(task.id);
    expect((await s.scanner.scan()).queued).toBe(0);
    s.clock.advance(10 * 60_000); // the known paths reload from the database
    expect((await s.scanner.scan()).queued).toBe(0);
    expect((await s.store.tasks.getCounts()).pending).toBe(0);
  });

  it('skips a folder it cannot read in memory too, and everything under it', async () => {
    const s = memorySetup();
    s.notes.write('open/a.wav');
    s.notes.write('locked/b.wav');
    s.notes.write('locked/deeper/c.wav');
    s.notes.unreadable.add('locked');
    expect(await s.scanner.scan()).toMatchObject({ queued: 1, unreadable: ['locked'] });
  });

  it('ends on a symlink loop, follows links inside the folder once, and skips links leading outside', async () => {
    const s = setup();
    s.file('real/one.wav');
    symlinkSync(join(s.notesDir, 'real'), join(s.notesDir, 'real', 'loop'));
    symlinkSync(join(s.notesDir, 'real'), join(s.notesDir, 'alias'));
    const outside = join(s.dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.wav'), 'x');
    symlinkSync(join(outside, 'secret.wav'), join(s.notesDir, 'secret-link.wav'));
    symlinkSync(outside, join(s.notesDir, 'outside-dir'));
    symlinkSync(join(s.notesDir, 'nowhere'), join(s.notesDir, 'dangling.wav'));
    const result = await s.scanner.scan();
    expect(result.queued).toBe(1);
    expect(result.skippedLinks.sort()).toEqual([
      'alias',
      'dangling.wav',
      'outside-dir',
      'real/loop',
      'secret-link.wav',
    ]);
  });

  it('skips a folder it cannot read, says so, and scans the rest', async () => {
    const s = setup();
    s.file('open/a.wav');
    s.file('locked/b.wav');
    chmodSync(join(s.notesDir, 'locked'), 0o000);
    try {
      let result: { queued: number; unreadable: string[] };
      if (process.getuid?.() === 0) {
        // Root reads any folder, so scan as `nobody`, who cannot.
        chmodSync(s.dir, 0o755);
        chmodSync(s.notesDir, 0o755);
        const data = join(s.dir, 'nobody-data');
        mkdirSync(data, { mode: 0o777 });
        chmodSync(data, 0o777);
        // From a copy nobody may read: the clone itself may sit in a private folder (see tests/helpers/nobodyKit.ts).
        const run = await exited(
          spawnTsAsNobody('tests/helpers/scanOnce.ts', [s.notesDir, data], { ...process.env, HOME: data }),
        );
        expect(run.code, run.stderr).toBe(0);
        result = JSON.parse(run.stdout);
      } else {
        result = await s.scanner.scan();
      }
      expect(result.queued).toBe(1);
      expect(result.unreadable).toEqual(['locked']);
    } finally {
      chmodSync(join(s.notesDir, 'locked'), 0o755);
    }
  });
});
