import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { isAudioFileName } from '../../src/core/orphans.js';
import type { Segment } from '../../src/core/types.js';
import { wordErrorRate } from '../helpers/speech.js';
import type { LibraryFile } from './library.js';

/** A transcription row, as the checks read it from either store. */
export interface TranscriptionRow {
  id: string;
  audio_path: string;
  status: string;
  transcription_text: string | null;
  segments: string | null;
  error_kind: string | null;
  error_message: string | null;
  sidecar_path: string | null;
}

/**
 * What the checks look at, read in one go from either store, so that the same checks judge a
 * single Hark on SQLite and several nodes on PostgreSQL.
 */
export interface DbSnapshot {
  /** What the database engine's own checks found (SQLite's integrity and foreign-key checks). */
  engineProblems: string[];
  transcriptions: TranscriptionRow[];
  tasks: { id: number; transcription_id: string; status: string; locked_by: string | null }[];
  /** The trigger-kept counts (PostgreSQL's slots summed). */
  counts: { status: string; n: number }[];
}

const TRANSCRIPTION_COLUMNS =
  'id, audio_path, status, transcription_text, segments, error_kind, error_message, sidecar_path';
const TASK_COLUMNS = 'id, transcription_id, status, locked_by';

/** Reads the SQLite database the way a second process does, without ever writing to it; null if there is none yet. */
export function sqliteSnapshot(dbPath: string): DbSnapshot | null {
  if (!existsSync(dbPath)) return null;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    const engineProblems: string[] = [];
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') engineProblems.push(`integrity_check: ${String(integrity)}`);
    const foreign = db.pragma('foreign_key_check') as unknown[];
    if (foreign.length > 0) engineProblems.push(`foreign_key_check: ${JSON.stringify(foreign)}`);
    // One read transaction, so that the three reads agree with each other.
    return db.transaction(() => ({
      engineProblems,
      transcriptions: db
        .prepare(`SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions`)
        .all() as TranscriptionRow[],
      tasks: db.prepare(`SELECT ${TASK_COLUMNS} FROM background_tasks`).all() as DbSnapshot['tasks'],
      counts: db.prepare('SELECT status, n FROM task_counts').all() as DbSnapshot['counts'],
    }))();
  } finally {
    db.close();
  }
}

/** The same from PostgreSQL, in one repeatable-read transaction (one snapshot of every table). */
export async function postgresSnapshot(url: string): Promise<DbSnapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const transcriptions = (
      await client.query<TranscriptionRow>(`SELECT ${TRANSCRIPTION_COLUMNS} FROM transcriptions`)
    ).rows;
    const tasks = (
      await client.query<DbSnapshot['tasks'][number]>(
        `SELECT id::int AS id, transcription_id, status, locked_by FROM background_tasks`,
      )
    ).rows;
    const counts = (
      await client.query<{ status: string; n: number }>(
        'SELECT status, sum(n)::int AS n FROM task_counts GROUP BY status',
      )
    ).rows;
    await client.query('COMMIT');
    return { engineProblems: [], transcriptions, tasks, counts };
  } finally {
    await client.end();
  }
}

/** The database engine's own checks, and the trigger-kept task counts against a real count. */
export function databaseProblems(snapshot: DbSnapshot): string[] {
  const problems = [...snapshot.engineProblems];
  const real = new Map<string, number>();
  for (const task of snapshot.tasks) real.set(task.status, (real.get(task.status) ?? 0) + 1);
  for (const row of snapshot.counts) {
    if (row.n !== (real.get(row.status) ?? 0))
      problems.push(`task_counts says ${row.n} ${row.status}, the table has ${real.get(row.status) ?? 0}`);
  }
  return problems;
}

export function checkDatabase(dbPath: string): string[] {
  const snapshot = sqliteSnapshot(dbPath);
  return snapshot ? databaseProblems(snapshot) : [];
}

/**
 * The pid in a worker id: `host:pid:start` (the node id of issue 10, whose start time holds
 * colons of its own) or the older `host:pid:random`.
 */
export function pidOfWorker(workerId: string | null): number | null {
  const pid = Number(workerId?.split(':')[1]);
  return Number.isInteger(pid) ? pid : null;
}

/**
 * No task is `processing` without a process behind it: every processing task is held by one
 * of `allowedPids`: the Hark (or nodes) now running, or a process that died and whose task
 * nobody could have taken back yet (before the next recovery, or its lease's end).
 */
export function processingProblems(snapshot: DbSnapshot, allowedPids: ReadonlySet<number>): string[] {
  return snapshot.tasks
    .filter((task) => task.status === 'processing')
    .filter((task) => {
      const pid = pidOfWorker(task.locked_by);
      return pid === null || !allowedPids.has(pid);
    })
    .map((task) => `task ${task.id} is processing, held by ${task.locked_by}, a process that is gone`);
}

export function checkProcessing(dbPath: string, allowedPids: ReadonlySet<number>): string[] {
  const snapshot = sqliteSnapshot(dbPath);
  return snapshot ? processingProblems(snapshot, allowedPids) : [];
}

/** Paths (relative, '/'-separated) of the files in the notes folder; hidden ones separately. */
export function listNotes(notesDir: string): { audio: string[]; sidecars: string[]; hidden: string[] } {
  const found = { audio: [] as string[], sidecars: [] as string[], hidden: [] as string[] };
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else if (entry.name.startsWith('.')) found.hidden.push(rel);
      else if (isAudioFileName(entry.name)) found.audio.push(rel);
      else if (entry.name.endsWith('.txt')) found.sidecars.push(rel);
    }
  };
  walk(notesDir, '');
  return found;
}

/**
 * Every transcript file beside the audio is whole: it is the one Hark
 * recorded for that audio, with exactly the text of the database's
 * transcription (a truncated or half-written file would differ). `sidecars`
 * are listed before the snapshot is read, so that a file written by a running
 * node after its commit is never older than the snapshot.
 */
export function sidecarProblems(
  notesDir: string,
  sidecars: readonly string[],
  snapshot: DbSnapshot,
): string[] {
  const problems: string[] = [];
  const byPath = new Map(
    snapshot.transcriptions.filter((t) => t.sidecar_path).map((t) => [t.sidecar_path, t]),
  );
  for (const path of sidecars) {
    const row = byPath.get(path);
    let content: string;
    try {
      content = readFileSync(join(notesDir, path), 'utf8');
    } catch {
      continue; // removed since it was listed
    }
    if (!row) problems.push(`${path}: a transcript file no transcription accounts for`);
    else if (row.status !== 'complete')
      problems.push(`${path}: written, but its transcription is ${row.status}`);
    else if (content !== `${row.transcription_text ?? ''}\n`) {
      problems.push(`${path}: differs from the transcript (${content.length} characters on disk)`);
    }
  }
  return problems;
}

export function checkSidecars(notesDir: string, dbPath: string): string[] {
  const { sidecars } = listNotes(notesDir);
  const snapshot = sqliteSnapshot(dbPath);
  return snapshot ? sidecarProblems(notesDir, sidecars, snapshot) : [];
}

export interface FinalFile {
  path: string;
  status: string;
  errorKind: string | null;
  errorMessage: string | null;
  /** The library file with the same bytes, if any (a half-received upload has none). */
  library: LibraryFile | null;
  wer: number | null;
}

export interface FinalReport {
  files: FinalFile[];
  violations: string[];
  lost: string[];
  duplicates: string[];
}

/** A sentence is heard when some segment overlaps it (times move a little in lossy formats). */
const SLACK_SECONDS = 0.75;
/** pocketsphinx hears flite's voice at 10–30 % WER; a window lost or heard twice costs far more. */
const MAX_WER = 0.6;

/**
 * The end state: every audio file in the folder has exactly one transcription,
 * complete (and whole: every sentence spoken in it was heard, once, in order)
 * or failed with a reason; nothing waits or runs; no task was completed twice;
 * every file that should be there is there.
 */
export function checkFinal(
  notesDir: string,
  dbPath: string,
  library: readonly LibraryFile[],
  expectedPaths: readonly string[],
): FinalReport {
  const snapshot = sqliteSnapshot(dbPath);
  if (!snapshot) throw new Error(`no database at ${dbPath}`);
  return finalProblems(notesDir, snapshot, library, expectedPaths);
}

/** checkFinal on a snapshot of either store. */
export function finalProblems(
  notesDir: string,
  snapshot: DbSnapshot,
  library: readonly LibraryFile[],
  expectedPaths: readonly string[],
): FinalReport {
  const report: FinalReport = { files: [], violations: [], lost: [], duplicates: [] };
  const { audio } = listNotes(notesDir);
  const onDisk = new Set(audio);
  for (const path of expectedPaths)
    if (!onDisk.has(path)) report.lost.push(`${path}: missing from the folder`);
  const byHash = new Map(library.map((file) => [file.sha256, file]));
  const rows = snapshot.transcriptions;
  const rowByPath = new Map(rows.map((row) => [row.audio_path, row]));
  for (const row of rows) {
    if (!onDisk.has(row.audio_path))
      report.violations.push(`${row.audio_path}: a transcription with no file`);
  }
  const grouped = new Map<string, { transcription_id: string; status: string; n: number }>();
  for (const task of snapshot.tasks) {
    const key = `${task.transcription_id}\u0000${task.status}`;
    const entry = grouped.get(key) ?? {
      transcription_id: task.transcription_id,
      status: task.status,
      n: 0,
    };
    entry.n++;
    grouped.set(key, entry);
  }
  const tasks = [...grouped.values()];
  for (const task of tasks) {
    const path = rows.find((row) => row.id === task.transcription_id)?.audio_path ?? task.transcription_id;
    if (task.status === 'pending' || task.status === 'processing') {
      report.lost.push(`${path}: its task is still ${task.status}`);
    }
    if (task.status === 'completed' && task.n > 1)
      report.duplicates.push(`${path}: completed ${task.n} times`);
  }
  for (const path of audio) {
    const row = rowByPath.get(path);
    const bytes = readFileSync(join(notesDir, path));
    const file = byHash.get(createHash('sha256').update(bytes).digest('hex')) ?? null;
    const final: FinalFile = {
      path,
      status: row?.status ?? 'none',
      errorKind: row?.error_kind ?? null,
      errorMessage: row?.error_message ?? null,
      library: file,
      wer: null,
    };
    report.files.push(final);
    if (!row || row.status === 'pending') {
      report.lost.push(`${path}: ${row ? 'never transcribed' : 'no transcription at all'}`);
      continue;
    }
    if (row.status === 'failed') {
      if (!row.error_message) report.violations.push(`${path}: failed without a reason`);
      continue;
    }
    if (row.status === 'no_speech' && file) {
      report.lost.push(`${path}: "no speech", but ${file.spoken.length} sentence(s) were spoken`);
      continue;
    }
    if (!file) continue; // a half-received upload: what it holds is not known
    const segments = JSON.parse(row.segments ?? '[]') as Segment[];
    final.wer = wordErrorRate(file.text, row.transcription_text ?? '');
    const whole = wholeTranscript(path, file, segments, final.wer);
    report.lost.push(...whole.lost);
    report.duplicates.push(...whole.duplicates);
    report.violations.push(...whole.violations);
  }
  return report;
}

/**
 * The transcript covers every sentence spoken (a window lost would leave some
 * unheard), in order with no stretch of time heard twice (a window repeated
 * would overlap its neighbour), and says roughly what was said (another
 * file's transcript would not).
 */
function wholeTranscript(
  path: string,
  file: LibraryFile,
  segments: readonly Segment[],
  wer: number,
): { lost: string[]; duplicates: string[]; violations: string[] } {
  const result = { lost: [] as string[], duplicates: [] as string[], violations: [] as string[] };
  for (let i = 1; i < segments.length; i++) {
    const before = segments[i - 1] as Segment;
    const segment = segments[i] as Segment;
    if (segment.start + 0.01 < before.end) {
      result.duplicates.push(
        `${path}: segment at ${segment.start} s starts before the one ending at ${before.end} s`,
      );
    }
  }
  for (const spoken of file.spoken) {
    const heard = segments.some(
      (s) => s.end > spoken.start - SLACK_SECONDS && s.start < spoken.end + SLACK_SECONDS,
    );
    if (!heard) result.lost.push(`${path}: nothing heard of the sentence at ${spoken.start.toFixed(1)} s`);
  }
  if (wer > MAX_WER)
    result.violations.push(`${path}: word error rate ${wer.toFixed(2)} against what was said`);
  return result;
}
