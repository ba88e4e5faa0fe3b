import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isAudioFileName } from '../../src/core/orphans.js';
import type { Segment } from '../../src/core/types.js';
import { wordErrorRate } from '../helpers/speech.js';
import type { LibraryFile } from './library.js';

/** Reads the database the way a second process does, without ever writing to it. */
function withDb<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** SQLite's own checks, and the trigger-kept task counts against a real count. */
export function checkDatabase(dbPath: string): string[] {
  if (!existsSync(dbPath)) return [];
  return withDb(dbPath, (db) => {
    const problems: string[] = [];
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const foreign = db.pragma('foreign_key_check') as unknown[];
    if (foreign.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreign)}`);
    const kept = db.prepare('SELECT status, n FROM task_counts').all() as { status: string; n: number }[];
    const real = new Map(
      (
        db.prepare('SELECT status, count(*) AS n FROM background_tasks GROUP BY status').all() as {
          status: string;
          n: number;
        }[]
      ).map((row) => [row.status, row.n]),
    );
    for (const row of kept) {
      if (row.n !== (real.get(row.status) ?? 0))
        problems.push(`task_counts says ${row.n} ${row.status}, the table has ${real.get(row.status) ?? 0}`);
    }
    return problems;
  });
}

/** The pid in a worker id (`host:pid:random`). */
function pidOfWorker(workerId: string | null): number | null {
  const pid = Number(workerId?.split(':').at(-2));
  return Number.isInteger(pid) ? pid : null;
}

/**
 * No task is `processing` without a process behind it: every processing task
 * is held by `livePid` (the Hark now running, which has recovered whatever
 * the dead ones left), or, between a death and the next start, by the pid
 * that just died and nothing older.
 */
export function checkProcessing(dbPath: string, allowedPids: ReadonlySet<number>): string[] {
  if (!existsSync(dbPath)) return [];
  return withDb(dbPath, (db) => {
    const rows = db
      .prepare(`SELECT id, locked_by FROM background_tasks WHERE status = 'processing'`)
      .all() as { id: number; locked_by: string | null }[];
    return rows
      .filter((row) => {
        const pid = pidOfWorker(row.locked_by);
        return pid === null || !allowedPids.has(pid);
      })
      .map((row) => `task ${row.id} is processing, held by ${row.locked_by}, a process that is gone`);
  });
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
 * transcription (a truncated or half-written file would differ).
 */
export function checkSidecars(notesDir: string, dbPath: string): string[] {
  if (!existsSync(dbPath)) return [];
  const { sidecars } = listNotes(notesDir);
  return withDb(dbPath, (db) => {
    const problems: string[] = [];
    const find = db.prepare('SELECT status, transcription_text FROM transcriptions WHERE sidecar_path = ?');
    for (const path of sidecars) {
      const row = find.get(path) as { status: string; transcription_text: string | null } | undefined;
      const content = readFileSync(join(notesDir, path), 'utf8');
      if (!row) problems.push(`${path}: a transcript file no transcription accounts for`);
      else if (row.status !== 'complete')
        problems.push(`${path}: written, but its transcription is ${row.status}`);
      else if (content !== `${row.transcription_text ?? ''}\n`) {
        problems.push(`${path}: differs from the transcript (${content.length} characters on disk)`);
      }
    }
    return problems;
  });
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
  const report: FinalReport = { files: [], violations: [], lost: [], duplicates: [] };
  const { audio } = listNotes(notesDir);
  const onDisk = new Set(audio);
  for (const path of expectedPaths)
    if (!onDisk.has(path)) report.lost.push(`${path}: missing from the folder`);
  const byHash = new Map(library.map((file) => [file.sha256, file]));
  withDb(dbPath, (db) => {
    const rows = db
      .prepare(
        'SELECT id, audio_path, status, transcription_text, segments, error_kind, error_message FROM transcriptions',
      )
      .all() as {
      id: string;
      audio_path: string;
      status: string;
      transcription_text: string | null;
      segments: string | null;
      error_kind: string | null;
      error_message: string | null;
    }[];
    const rowByPath = new Map(rows.map((row) => [row.audio_path, row]));
    for (const row of rows) {
      if (!onDisk.has(row.audio_path))
        report.violations.push(`${row.audio_path}: a transcription with no file`);
    }
    const tasks = db
      .prepare('SELECT transcription_id, status, count(*) AS n FROM background_tasks GROUP BY 1, 2')
      .all() as { transcription_id: string; status: string; n: number }[];
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
  });
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
