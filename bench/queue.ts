/**
 * Queue benchmarks (issue 2), each against a baseline measured in the same run:
 *   npx tsx bench/queue.ts [enqueue|claim|counts|scan]...   (default: all)
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { systemClock } from '../src/core/clock.js';
import { createBus } from '../src/core/events.js';
import { transcriptionIdFor } from '../src/core/orphans.js';
import type { NewAudio } from '../src/core/types.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { NotesFolder } from '../src/queue/notesFolder.js';
import { QueueManager } from '../src/queue/queueManager.js';
import { OrphanScanner } from '../src/queue/scanner.js';
import { median, printTable, type Row, scratch, time } from './lib.js';

const audio = (i: number): NewAudio => ({
  transcriptionId: transcriptionIdFor(`d${i % 1000}/f${i}.wav`),
  audioPath: `d${i % 1000}/f${i}.wav`,
  source: 'orphan',
  originalName: null,
  taskType: 'transcribe_orphan',
  priority: 0,
  fileSize: 1000,
  fileMtimeMs: 0,
});

/** The same two inserts Hark makes per file, as bare prepared statements: the floor for enqueueing. */
function rawEnqueue(db: Database.Database, items: NewAudio[], now: number): void {
  const t = db.prepare(
    `INSERT INTO transcriptions (id, audio_path, status, source, created_at, recorded_at) VALUES (?, ?, 'pending', 'orphan', ?, ?)`,
  );
  const b = db.prepare(
    `INSERT INTO background_tasks (transcription_id, task_type, priority, order_key, created_at, available_at)
     VALUES (?, 'transcribe_orphan', 0, ?, ?, ?)`,
  );
  const insert = db.transaction((batch: NewAudio[]) => {
    for (const a of batch) {
      t.run(a.transcriptionId, a.audioPath, now, now);
      b.run(a.transcriptionId, now, now, now);
    }
  });
  for (let i = 0; i < items.length; i += 500) insert.immediate(items.slice(i, i + 500));
}

async function enqueue(): Promise<Row> {
  const n = 100_000;
  const items = Array.from({ length: n }, (_, i) => audio(i));
  const dir = scratch('hark-bench-enqueue-');
  const rawDb = openDatabase(join(dir.path, 'raw.db'));
  migrate(rawDb);
  const raw = await time(() => rawEnqueue(rawDb, items, Date.now()));
  rawDb.close();
  const store = SqliteStore.open(join(dir.path, 'hark.db'));
  const hark = await time(async () => {
    for (let i = 0; i < n; i += 500) await store.tasks.addTasks(items.slice(i, i + 500), Date.now(), 2);
  });
  await store.close();
  dir.remove();
  return {
    benchmark: `enqueue ${n.toLocaleString('en')} tasks (batches of 500)`,
    hark: `${Math.round(n / (hark / 1000)).toLocaleString('en')}/s (${(hark / 1000).toFixed(2)} s)`,
    baseline: `${Math.round(n / (raw / 1000)).toLocaleString('en')}/s raw inserts`,
    ratio: `${(hark / raw).toFixed(2)}× the time`,
    target: 'none set',
    met: true,
  };
}

async function claimComplete(): Promise<Row> {
  const n = 20_000;
  const items = Array.from({ length: n }, (_, i) => audio(i));
  const dir = scratch('hark-bench-claim-');
  const now = Date.now() - 1000;
  // Baseline: the bare claim and completion statements, no store, no checks beyond the SQL.
  const rawDb = openDatabase(join(dir.path, 'raw.db'));
  migrate(rawDb);
  rawEnqueue(rawDb, items, now);
  const claim = rawDb.prepare(
    `UPDATE background_tasks SET status = 'processing', attempts = attempts + 1, started_at = ?, locked_by = 'w'
     WHERE id = (SELECT id FROM background_tasks INDEXED BY background_tasks_claim_order
                 WHERE status = 'pending' ORDER BY priority DESC, order_key, id LIMIT 1)
     RETURNING id, transcription_id`,
  );
  const doneTask = rawDb.prepare(
    `UPDATE background_tasks SET status = 'completed', completed_at = ? WHERE id = ?`,
  );
  const doneText = rawDb.prepare(
    `UPDATE transcriptions SET status = 'complete', transcription_text = ?, segments = ?, transcribed_at = ? WHERE id = ?`,
  );
  const complete = rawDb.transaction((id: number, tid: string) => {
    doneTask.run(Date.now(), id);
    doneText.run('hello world', '[{"start":0,"end":1,"text":"hello world"}]', Date.now(), tid);
  });
  const raw = await time(() => {
    for (;;) {
      const row = claim.get(Date.now()) as { id: number; transcription_id: string } | undefined;
      if (!row) break;
      complete.immediate(row.id, row.transcription_id);
    }
  });
  rawDb.close();

  // Opened as the app opens it: checkpoints in a thread of their own.
  const store = SqliteStore.open(join(dir.path, 'hark.db'), { backgroundCheckpoints: true });
  await store.tasks.addTasks(items, now, 2);
  const transcript = {
    text: 'hello world',
    segments: [{ start: 0, end: 1, text: 'hello world' }],
    duration: 1,
  };
  let done = 0;
  const hark = await time(async () => {
    for (;;) {
      const task = await store.tasks.claimNext('w', Date.now());
      if (!task) break;
      await store.tasks.completeTask({
        taskId: task.id,
        workerId: 'w',
        transcript,
        outcome: 'complete',
        engine: 'bench',
        sidecarPath: null,
        now: Date.now(),
      });
      done++;
    }
  });
  await store.close();
  dir.remove();
  if (done !== n) throw new Error(`claimed ${done} of ${n}`);
  const perSecond = n / (hark / 1000);
  return {
    benchmark: `claim + complete ${n.toLocaleString('en')} tasks, one worker, synchronous=NORMAL`,
    hark: `${Math.round(perSecond).toLocaleString('en')}/s`,
    baseline: `${Math.round(n / (raw / 1000)).toLocaleString('en')}/s bare SQL`,
    ratio: `${(hark / raw).toFixed(2)}× the time`,
    target: '≥ 5,000/s',
    met: perSecond >= 5000,
  };
}

async function counts(): Promise<Row> {
  const n = 1_000_000;
  const dir = scratch('hark-bench-counts-');
  const store = SqliteStore.open(join(dir.path, 'hark.db'));
  const statuses = ['pending', 'completed', 'failed', 'cancelled'];
  // Fill through SQL (the triggers keep task_counts, as they do for every write).
  const db = store.db;
  const t = db.prepare(
    `INSERT INTO transcriptions (id, audio_path, status, source, created_at, recorded_at) VALUES (?, ?, 'pending', 'orphan', 0, 0)`,
  );
  const b = db.prepare(
    `INSERT INTO background_tasks (transcription_id, task_type, status, order_key, created_at, available_at) VALUES (?, 'transcribe_orphan', ?, 0, 0, 0)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      t.run(`t${i}`, `f${i}.wav`);
      b.run(`t${i}`, statuses[i % 4]);
    }
  })();
  const naive = db.prepare('SELECT status, count(*) AS n FROM background_tasks GROUP BY status');
  const naiveTimes: number[] = [];
  for (let i = 0; i < 5; i++) naiveTimes.push(await time(() => naive.all()));
  const harkTimes: number[] = [];
  let result = await store.tasks.getCounts();
  for (let i = 0; i < 2000; i++)
    harkTimes.push(await time(async () => (result = await store.tasks.getCounts())));
  if (result.pending !== n / 4) throw new Error(`counts are wrong: ${JSON.stringify(result)}`);
  await store.close();
  dir.remove();
  const hark = median(harkTimes);
  return {
    benchmark: `queue counts at ${n.toLocaleString('en')} tasks (median)`,
    hark: `${(hark * 1000).toFixed(1)} µs`,
    baseline: `${median(naiveTimes).toFixed(1)} ms GROUP BY count(*)`,
    ratio: `${(hark / median(naiveTimes)).toFixed(5)}× the time`,
    target: '≤ 1 ms',
    met: hark <= 1,
  };
}

async function scan(): Promise<Row[]> {
  const dirs = 1000;
  const perDir = 100;
  const dir = scratch('hark-bench-scan-');
  const notes = join(dir.path, 'notes');
  const old = new Date(Date.now() - 3_600_000);
  for (let d = 0; d < dirs; d++) {
    const folder = join(notes, `2026-${String(d).padStart(4, '0')}`);
    mkdirSync(folder, { recursive: true });
    for (let f = 0; f < perDir; f++) {
      // 80 % audio, the rest transcripts and other files.
      const name =
        f % 5 === 4
          ? `note-${f}.txt`
          : `${String(f).padStart(6, '0')}-voice-note.${['wav', 'mp3', 'm4a', 'ogg'][f % 4]}`;
      writeFileSync(join(folder, name), '');
    }
  }
  execFileSync('touch', ['-d', old.toISOString(), '-r', notes, notes]);
  execFileSync('find', [notes, '-type', 'f', '-exec', 'touch', '-d', old.toISOString(), '{}', '+']);
  const find = (args: string[]) => () => execFileSync('find', [notes, ...args], { maxBuffer: 1 << 28 });
  const findList: number[] = [];
  const findStat: number[] = [];
  for (let i = 0; i < 3; i++) findList.push(await time(find(['-type', 'f'])));
  for (let i = 0; i < 3; i++) findStat.push(await time(find(['-type', 'f', '-printf', '%s %T@ %p\n'])));

  const rows: Row[] = [];
  const store = SqliteStore.open(join(dir.path, 'hark.db'));
  const queue = new QueueManager(store, systemClock, createBus());
  const scanner = new OrphanScanner(new NotesFolder(notes), queue, systemClock);
  let queued = 0;
  const first = await time(async () => {
    queued = (await scanner.scan()).queued;
  });
  if (queued !== dirs * perDir * 0.8) throw new Error(`queued ${queued}`);
  const rescans: number[] = [];
  for (let i = 0; i < 3; i++) rescans.push(await time(() => scanner.scan()));
  await store.close();
  dir.remove();
  const files = (dirs * perDir).toLocaleString('en');
  rows.push({
    benchmark: `rescan of a ${files}-file tree (all known)`,
    hark: `${median(rescans).toFixed(0)} ms`,
    baseline: `${median(findList).toFixed(0)} ms \`find -type f\``,
    ratio: `${(median(rescans) / median(findList)).toFixed(2)}×`,
    target: '≤ 1.5× find',
    met: median(rescans) / median(findList) <= 1.5,
  });
  rows.push({
    benchmark: `first scan of a ${files}-file tree (stat + queue 80,000)`,
    hark: `${first.toFixed(0)} ms`,
    baseline: `${median(findStat).toFixed(0)} ms \`find -type f -printf '%s %T@ %p'\``,
    ratio: `${(first / median(findStat)).toFixed(2)}×`,
    target: 'reported (includes 80,000 inserts)',
    met: true,
  });
  return rows;
}

const wanted = process.argv.slice(2);
const run = (name: string) => wanted.length === 0 || wanted.includes(name);
const rows: Row[] = [];
if (run('enqueue')) rows.push(await enqueue());
if (run('claim')) rows.push(await claimComplete());
if (run('counts')) rows.push(await counts());
if (run('scan')) rows.push(...(await scan()));
printTable('Queue benchmarks', rows);
