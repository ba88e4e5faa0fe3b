import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { authHeaders } from '../helpers/auth.js';
import { readEngineLog } from '../helpers/engineLog.js';
import { isHarkCli } from '../helpers/processes.js';
import { type AuditedEntry, auditEngineLog, cutShortByKill } from './engineLogAudit.js';
import { HarkLife } from './harkProcess.js';
import { checkDatabase, checkFinal, checkProcessing, checkSidecars, listNotes } from './invariants.js';
import { type Library, type LibraryFile, libraryFilePath, placeLibraryFile, soakLibrary } from './library.js';
import { KILL_KINDS, type KillKind, type PlannedKill, planSoak } from './plan.js';
import { awaitMarkedGone, markedProcesses } from './processTable.js';
import { type UploadOutcome, upload } from './uploads.js';

export interface SoakOptions {
  files: number;
  kills: number;
  seed: number;
  /** The run's folder (notes, data, logs); a fresh temporary one by default. */
  dir?: string;
  /** Short lives and a small library of one-sentence notes: the version `npm test` runs. */
  quick?: boolean;
  /** Keep the run's folder even when every invariant held. */
  keep?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
  /** How long the last life may take to finish the queue. */
  finishTimeoutMs?: number;
  /** `--parallel N` for every life (default: not given, the single worker). */
  parallel?: number;
}

export interface KillRecord {
  life: number;
  pid: number;
  planned: KillKind;
  /** What actually ended the life: the crash point itself, our SIGKILL, or (a bug) anything else. */
  how: 'crash point' | 'sigkill' | 'fallback sigkill' | 'exited';
  ranMs: number;
}

export interface SoakReport {
  seed: number;
  dir: string;
  libraryFiles: number;
  kills: KillRecord[];
  restarts: number;
  filesAtEnd: number;
  complete: number;
  /** Failures, with the kinds of the lives that ended while an engine call on the file was under way. */
  failed: { path: string; kind: string | null; message: string | null; cutShortIn: KillKind[] }[];
  lost: string[];
  duplicates: string[];
  /** Every other broken invariant (integrity, orphaned tasks, torn sidecars …). */
  violations: string[];
  invocations: number;
  /** Engine calls cut short by a kill: each repeats at most the window it was hearing. */
  windowsRepeated: number;
  emptyReruns: number;
  uploads: UploadOutcome[];
  /** Processes Hark had started that outlived a killed Hark (engine children), and those still there at the end. */
  orphans: { seen: number; leftAtEnd: number };
  /** Hidden temporary files left in the notes folder by kills. */
  leftovers: string[];
  /** Entries left in Hark's TMPDIR at the end (window files of recognisers a kill cut short, and tsx's cache). */
  tmpLeftovers: string[];
  maxWer: number;
  /** The most attempts one life ran at once, from the task history (1 without --parallel). */
  mostAtOnce: number;
  wallMs: number;
}

const CRASH_POINT_TIMEOUT_MS = 45_000;

/** The crash soak: Hark started for real and SIGKILLed again and again, with every invariant checked after each life. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const plan = planSoak(options);
  const library = soakLibrary({ ...options, lateFiles: plan.lateFiles, uploadFiles: plan.uploadFiles });
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hark-soak-'));
  const run = new Run(dir, library, options.seed, log, options.parallel);
  log(`soak: seed ${options.seed}, ${library.files.length} files, ${plan.kills.length} kills, in ${dir}`);
  run.placeInitialFiles();

  for (const [index, kill] of plan.kills.entries()) {
    await run.life(index, kill);
  }
  await run.finish(options.finishTimeoutMs ?? 30 * 60_000);
  const report = run.report(Date.now() - started);
  // Everything, for a closer look at a run (which life killed what, every upload's fate).
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
  const clean = report.lost.length + report.duplicates.length + report.violations.length === 0;
  if (clean && !options.keep && !options.dir) rmSync(dir, { recursive: true, force: true });
  return report;
}

class Run {
  readonly notes: string;
  readonly data: string;
  readonly dbPath: string;
  readonly engineLog: string;
  readonly marker: string;
  /** Hark's TMPDIR: a recogniser's window files live there while it hears them. */
  readonly tmp: string;
  private readonly lateFiles: LibraryFile[];
  private readonly uploadFiles: LibraryFile[];
  private readonly expectedPaths: string[] = [];
  private readonly kills: KillRecord[] = [];
  private readonly killedPids = new Set<number>();
  private readonly killedIn = new Map<number, KillKind>();
  private readonly uploads: UploadOutcome[] = [];
  private readonly violations: string[] = [];
  /** Lives that died since the last one that got as far as running (and so had recovered what they left). */
  private unrecovered = new Set<number>();
  private orphansSeen = new Set<number>();
  private orphansLeft = 0;
  private lives = 0;

  constructor(
    readonly dir: string,
    readonly library: Library,
    readonly seed: number,
    private readonly log: (line: string) => void,
    private readonly parallel?: number,
  ) {
    this.notes = join(dir, 'notes');
    this.data = join(dir, 'data');
    this.dbPath = join(this.data, 'hark.db');
    this.engineLog = join(dir, 'engine.log');
    this.marker = `${process.pid}-${Date.now()}`;
    this.tmp = join(dir, 'tmp');
    mkdirSync(this.notes, { recursive: true });
    mkdirSync(this.tmp, { recursive: true });
    this.lateFiles = library.files.filter((f) => f.role === 'late');
    this.uploadFiles = library.files.filter((f) => f.role === 'upload');
  }

  placeInitialFiles(): void {
    for (const file of this.library.files.filter((f) => f.role === 'initial')) this.place(file, true);
  }

  private place(file: LibraryFile, settled: boolean): void {
    placeLibraryFile(this.library, file, this.notes, settled);
    this.expectedPaths.push(file.path);
  }

  private drop(count: number, settled: boolean): void {
    for (const file of this.lateFiles.splice(0, count)) this.place(file, settled);
  }

  private start(crashAt?: string): HarkLife {
    this.lives++;
    return new HarkLife({
      notes: this.notes,
      data: this.data,
      engineLog: this.engineLog,
      marker: this.marker,
      stderrFile: join(this.dir, 'hark.log'),
      tmpDir: this.tmp,
      ...(crashAt ? { crashAt } : {}),
      ...(this.parallel ? { extraArgs: ['--parallel', String(this.parallel)] } : {}),
    });
  }

  /** One life: started (dying at a crash point, or killed at a random moment), then every invariant checked. */
  async life(index: number, kill: PlannedKill): Promise<void> {
    if (kill.drop > 0 && kill.dropBeforeStart) this.drop(kill.drop, true);
    if (kill.kind === 'claim' || kill.kind === 'chunk' || kill.kind === 'commit') this.ensureWork(kill.n + 1);
    const life = this.start(kill.kind === 'random' ? undefined : `${kill.kind}:${kill.n}`);
    // A random kill counts from the spawn (it may land in start-up and recovery) or from "running".
    const fromSpawn = kill.fromSpawn ? delay(kill.delayMs) : null;
    const url = await Promise.race([life.running(), ...(fromSpawn ? [fromSpawn.done.then(() => null)] : [])]);
    const inFlight: Promise<UploadOutcome>[] = [];
    if (url !== null) {
      this.unrecovered.clear();
      this.violations.push(...this.tagged(`life ${index} started`, this.checksWhileRunning(life)));
      if (kill.drop > 0 && !kill.dropBeforeStart) this.drop(kill.drop, false);
      for (const planned of kill.uploads) {
        const file = this.uploadFiles.shift();
        if (file) inFlight.push(this.upload(url, planned.kind, file, planned.slow));
      }
    }
    let how: KillRecord['how'];
    if (kill.kind === 'random') {
      const wait = fromSpawn ?? delay(kill.delayMs);
      await Promise.race([wait.done, life.exit]);
      wait.cancel();
      how = life.alive ? 'sigkill' : 'exited';
    } else {
      const wait = delay(Math.max(0, life.startedAt + CRASH_POINT_TIMEOUT_MS - Date.now()));
      const idle = this.whenIdle(life);
      await Promise.race([wait.done, life.exit, idle.done]);
      wait.cancel();
      idle.cancel();
      how = life.alive ? 'fallback sigkill' : 'crash point';
    }
    const exit = await life.kill();
    if (how === 'exited' || (how === 'crash point' && exit.signal !== 'SIGKILL')) {
      how = 'exited';
      this.violations.push(
        `life ${index} (pid ${life.pid}) ended by itself: code ${exit.code} signal ${exit.signal}\n${exit.stderr.slice(-2000)}`,
      );
    }
    this.killedPids.add(life.pid);
    this.unrecovered.add(life.pid);
    this.killedIn.set(life.pid, kill.kind);
    this.kills.push({
      life: index,
      pid: life.pid,
      planned: kill.kind,
      how,
      ranMs: Date.now() - life.startedAt,
    });
    this.uploads.push(...(await Promise.all(inFlight)));
    this.violations.push(...this.tagged(`after kill ${index} (${kill.kind})`, this.checksAfterDeath()));
    for (const orphan of markedProcesses(this.marker)) this.orphansSeen.add(orphan.pid);
    this.log(
      `kill ${index + 1} (pid ${life.pid}): ${kill.kind}${kill.kind === 'random' ? ` after ${kill.delayMs} ms${kill.fromSpawn ? ' from spawn' : ''}` : `:${kill.n}`} → ${how} ` +
        `(${((Date.now() - life.startedAt) / 1000).toFixed(1)} s)`,
    );
  }

  /** Drops reserve files in when fewer than `needed` are waiting, so a crash point has work to die in. */
  private ensureWork(needed: number): void {
    const waiting = this.work();
    if (waiting < needed) this.drop(needed - waiting, true);
  }

  /** Resolves if the queue runs dry while `life` waits for its crash point (which then never comes). */
  private whenIdle(life: HarkLife): { done: Promise<void>; cancel: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      const poll = () => {
        if (life.url !== null && life.alive && this.work() === 0) resolve();
        else timer = setTimeout(poll, 500);
      };
      timer = setTimeout(poll, 500);
    });
    return { done, cancel: () => clearTimeout(timer) };
  }

  private async upload(url: string, kind: 'recording' | 'import', file: LibraryFile, slow: boolean) {
    const bytes = readFileSync(libraryFilePath(this.library, file));
    const name = file.path.split('/').pop() ?? 'audio';
    return upload(url, kind, { id: file.id, name, format: file.format, bytes }, slow, authHeaders(this.data));
  }

  /**
   * Right after a start: recovery is done, so every processing task belongs to
   * this process, and no other Hark of this run is alive (the instance lock).
   */
  private checksWhileRunning(life: HarkLife): string[] {
    // A child of this life between its fork and its exec (ffmpeg, pocketsphinx on their way) still
    // shows this life's command line for a moment: it is not another Hark. (Seen on a loaded machine.)
    const others = markedProcesses(this.marker).filter(
      (p) => p.pid !== life.pid && p.ppid !== life.pid && isHarkCli(p.command),
    );
    return [
      ...checkDatabase(this.dbPath),
      ...checkProcessing(this.dbPath, new Set([life.pid])),
      ...others.map((p) => `another Hark is alive beside pid ${life.pid}: ${p.pid} ${p.command}`),
    ];
  }

  /**
   * After a death: whole database, whole sidecars, and nothing left processing
   * but by the lives that died since the last recovery (a life killed before it
   * got that far recovered nothing).
   */
  private checksAfterDeath(): string[] {
    return [
      ...checkDatabase(this.dbPath),
      ...checkSidecars(this.notes, this.dbPath),
      ...checkProcessing(this.dbPath, this.unrecovered),
    ];
  }

  /** The last life: everything left is dropped in and uploaded, the queue is run dry, and Hark is stopped cleanly. */
  async finish(timeoutMs: number): Promise<void> {
    this.drop(this.lateFiles.length, false);
    const life = this.start();
    const url = await life.running();
    if (!url) throw new Error(`the last life did not start:\n${life.stderr}`);
    this.violations.push(...this.tagged('last life started', this.checksWhileRunning(life)));
    const kinds = ['recording', 'import'] as const;
    for (const [i, file] of this.uploadFiles.splice(0).entries()) {
      this.uploads.push(await this.upload(url, kinds[i % 2] as 'recording' | 'import', file, false));
    }
    for (const outcome of this.uploads) {
      if (outcome.acknowledged && outcome.audioPath) this.expectedPaths.push(outcome.audioPath);
    }
    await this.untilIdle(life, timeoutMs);
    this.violations.push(...this.tagged('last life, idle', this.checksWhileRunning(life)));
    const exit = await life.stop();
    if (exit.code !== 0)
      this.violations.push(`the last life stopped with code ${exit.code} signal ${exit.signal}`);
    // Engine children of killed lives finish their window and go; none may stay.
    const left = await awaitMarkedGone(this.marker, new Set(), 60_000);
    this.orphansLeft = left.length;
    for (const process of left) {
      this.violations.push(`process ${process.pid} (${process.command}) outlived the soak`);
      try {
        globalThis.process.kill(process.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }

  /** Polls the database (another process's state has no event to await) until nothing is left to do. */
  private async untilIdle(life: HarkLife, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!life.alive) throw new Error(`the last life died:\n${life.stderr.slice(-3000)}`);
      const busy = this.work();
      if (busy === 0) return;
      if (Date.now() > deadline) {
        this.violations.push(
          `the queue was not done ${timeoutMs / 1000} s into the last life (${busy} left)`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /**
   * Work left: tasks waiting or running, audio with no transcription yet (not
   * scanned), and files still being copied in. (A transcription left pending
   * with no task would never be done: the final check reports it as lost.)
   */
  private work(): number {
    const { audio, hidden } = listNotes(this.notes);
    const copying = hidden.filter((path) => path.endsWith('.partial')).length;
    if (!existsSync(this.dbPath)) return audio.length + copying;
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true, timeout: 10_000 });
    try {
      const live = db
        .prepare(`SELECT count(*) AS n FROM background_tasks WHERE status IN ('pending', 'processing')`)
        .get() as { n: number };
      const known = new Set(
        (db.prepare('SELECT audio_path FROM transcriptions').all() as { audio_path: string }[]).map(
          (row) => row.audio_path,
        ),
      );
      return live.n + audio.filter((path) => !known.has(path)).length + copying;
    } finally {
      db.close();
    }
  }

  report(wallMs: number): SoakReport {
    const entries = readEngineLog(this.engineLog) as AuditedEntry[];
    const audit = auditEngineLog(entries, this.killedPids);
    const final = checkFinal(this.notes, this.dbPath, this.library.files, [...new Set(this.expectedPaths)]);
    const violations = [
      ...this.violations,
      ...checkDatabase(this.dbPath),
      ...checkSidecars(this.notes, this.dbPath),
      ...checkProcessing(this.dbPath, new Set()),
      ...final.violations,
    ];
    const failed = final.files
      .filter((f) => f.status === 'failed')
      .map((f) => ({
        path: f.path,
        kind: f.errorKind,
        message: f.errorMessage,
        cutShortIn: (audit.files.get(join(this.notes, f.path))?.attempts ?? [])
          .filter((a) => cutShortByKill(a, this.killedPids))
          .map((a) => this.killedIn.get(a.pid) ?? 'random'),
      }));
    const leftovers = listNotes(this.notes).hidden;
    // The last life started after every kill: any upload cut off before it must be gone by now.
    for (const path of leftovers.filter((p) => /(^|\/)\.hark-upload-[^/]*\.part$/.test(p))) {
      violations.push(`${path}: an upload cut off by a kill was left behind`);
    }
    return {
      seed: this.seed,
      dir: this.dir,
      libraryFiles: this.library.files.length,
      kills: this.kills,
      restarts: this.lives - 1,
      filesAtEnd: final.files.length,
      complete: final.files.filter((f) => f.status === 'complete').length,
      failed,
      lost: final.lost,
      duplicates: [...final.duplicates, ...audit.violations],
      violations,
      invocations: audit.invocations,
      windowsRepeated: audit.interruptedByKill,
      emptyReruns: audit.emptyReruns,
      uploads: this.uploads,
      orphans: { seen: this.orphansSeen.size, leftAtEnd: this.orphansLeft },
      leftovers,
      tmpLeftovers: readdirSync(this.tmp).filter((name) => !name.startsWith('tsx-')),
      maxWer: Math.max(0, ...final.files.map((f) => f.wer ?? 0)),
      mostAtOnce: mostAttemptsAtOnce(this.dbPath),
      wallMs,
    };
  }

  private tagged(when: string, problems: string[]): string[] {
    return problems.map((problem) => `${when}: ${problem}`);
  }
}

/**
 * The most task attempts that ran at the same time in one life (one worker id), from the task
 * history: the proof that `--parallel` did run tasks side by side. Attempts a kill cut off have
 * no end, and are left out.
 */
function mostAttemptsAtOnce(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    const rows = db
      .prepare('SELECT worker, started_at AS s, ended_at AS e FROM task_attempts WHERE ended_at IS NOT NULL')
      .all() as { worker: string; s: number; e: number }[];
    let most = 0;
    for (const row of rows) {
      const overlapping = rows.filter((o) => o.worker === row.worker && o.s <= row.s && o.e > row.s).length;
      most = Math.max(most, overlapping);
    }
    return most;
  } finally {
    db.close();
  }
}

/** A delay that can be called off, so no timer outlives the life it was for. */
function delay(ms: number): { done: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}

export { KILL_KINDS };
