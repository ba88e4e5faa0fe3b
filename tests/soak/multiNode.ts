import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readEngineLog } from '../helpers/engineLog.js';
import { harkReadyOrExit } from '../helpers/harkReady.js';
import { type AuditedEntry, auditEngineLog } from './engineLogAudit.js';
import { HarkLife } from './harkProcess.js';
import {
  databaseProblems,
  finalProblems,
  listNotes,
  pidOfWorker,
  postgresSnapshot,
  processingProblems,
  sidecarProblems,
} from './invariants.js';
import { type Library, type LibraryFile, placeLibraryFile, soakLibrary } from './library.js';
import { type NodeRole, nodeCommand } from './nodeCommand.js';
import { SoakCluster } from './pgCluster.js';
import { type NodeEvent, planMultiNodeSoak } from './plan.js';
import { awaitMarkedGone } from './processTable.js';

export interface MultiNodeOptions {
  /** Node 0 is the main node (`hark start --store`), the others workers (`hark worker`). */
  nodes: number;
  files: number;
  kills: number;
  pgRestarts: number;
  seed: number;
  quick?: boolean;
  dir?: string;
  keep?: boolean;
  log?: (line: string) => void;
  /**
   * How a SIGKILLed node's task comes back. `lease` (the default): any node reclaims a task
   * whose lease has expired, with no restart; a dead node may hold a task only that long.
   * `restart-main`: the final sweep restarts the main node when only dead nodes hold tasks.
   */
  reclaim?: 'restart-main' | 'lease';
  /** The nodes' --lease-seconds (default 5: a killed node's task comes back within seconds). */
  leaseSeconds?: number;
  engine?: 'pocketsphinx' | 'fake';
  finishTimeoutMs?: number;
}

export interface NodeKill {
  event: number;
  node: number;
  role: NodeRole;
  pid: number;
  ranMs: number;
}

export interface MultiNodeReport {
  seed: number;
  dir: string;
  nodes: number;
  libraryFiles: number;
  kills: NodeKill[];
  pgRestarts: number;
  /** Nodes that ended without being killed (a PostgreSQL restart must not end one). */
  nodeExits: string[];
  /** Main-node restarts the final sweep needed to take back dead nodes' tasks (0 with leases). */
  reclaimRestarts: number;
  filesAtEnd: number;
  complete: number;
  failed: { path: string; kind: string | null; message: string | null }[];
  lost: string[];
  duplicates: string[];
  violations: string[];
  invocations: number;
  orphansLeft: number;
  maxWer: number;
  wallMs: number;
}

/**
 * The multi-node soak (issue 10): one main node and `nodes - 1` worker nodes, each with a data
 * folder of its own, on one shared notes folder and one PostgreSQL database; random nodes
 * SIGKILLed and started again, the server restarted under them; after every event the
 * invariants of tests/soak/invariants.ts on a snapshot of the database, and at the end the
 * final ones: nothing lost, nothing transcribed twice, nothing left processing, every failure
 * with a reason.
 */
export async function runMultiNodeSoak(options: MultiNodeOptions): Promise<MultiNodeReport> {
  const started = Date.now();
  const plan = planMultiNodeSoak(options);
  const library = soakLibrary({
    seed: options.seed,
    files: options.files,
    lateFiles: plan.lateFiles,
    uploadFiles: 0,
    ...(options.quick ? { quick: true } : {}),
  });
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hark-soak-nodes-'));
  const cluster = SoakCluster.start();
  const run = new NodesRun(dir, library, cluster, options);
  try {
    await run.createDatabase();
    run.log(
      `multi-node soak: seed ${options.seed}, ${options.nodes} nodes, ${library.files.length} files, ` +
        `${options.kills} kills, ${options.pgRestarts} PostgreSQL restarts, in ${dir}`,
    );
    run.placeInitialFiles();
    await run.startAll();
    for (const [index, event] of plan.events.entries()) await run.event(index, event);
    await run.finish(options.finishTimeoutMs ?? 30 * 60_000);
    const report = await run.report(Date.now() - started);
    writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
    const clean = report.lost.length + report.duplicates.length + report.violations.length === 0;
    if (clean && !options.keep && !options.dir) rmSync(dir, { recursive: true, force: true });
    return report;
  } finally {
    await run.stopAll();
    cluster.remove();
  }
}

interface NodeSlot {
  index: number;
  role: NodeRole;
  data: string;
  life: HarkLife | null;
}

class NodesRun {
  readonly notes: string;
  readonly engineLog: string;
  readonly tmp: string;
  readonly marker = `${process.pid}-${Date.now()}-nodes`;
  readonly storeUrl: string;
  readonly log: (line: string) => void;
  private readonly slots: NodeSlot[];
  private readonly lateFiles: LibraryFile[];
  private readonly expectedPaths: string[] = [];
  private readonly kills: NodeKill[] = [];
  private readonly killedPids = new Set<number>();
  /** Pids of dead nodes, with when they died: a task they held may still be theirs for a while. */
  private readonly deadAt = new Map<number, number>();
  /** Dead since the main node last started (and recovered): before leases, only it takes their tasks back. */
  private deadSinceMainStart = new Set<number>();
  private readonly nodeExits: string[] = [];
  private readonly violations: string[] = [];
  private pgRestarts = 0;
  private reclaimRestarts = 0;
  private orphansLeft = 0;

  private get leaseSeconds(): number {
    return this.options.leaseSeconds ?? 5;
  }

  constructor(
    readonly dir: string,
    readonly library: Library,
    readonly cluster: SoakCluster,
    readonly options: MultiNodeOptions,
  ) {
    this.notes = join(dir, 'notes');
    this.engineLog = join(dir, 'engine.log');
    this.tmp = join(dir, 'tmp');
    this.storeUrl = cluster.databaseUrl('hark_soak');
    this.log = options.log ?? (() => {});
    mkdirSync(this.notes, { recursive: true });
    mkdirSync(this.tmp, { recursive: true });
    this.slots = Array.from({ length: options.nodes }, (_, index) => ({
      index,
      role: index === 0 ? 'main' : 'worker',
      data: join(dir, `data-${index}`),
      life: null,
    }));
    this.lateFiles = library.files.filter((f) => f.role === 'late');
  }

  async createDatabase(): Promise<void> {
    const client = new pg.Client({ connectionString: this.cluster.url });
    await client.connect();
    await client.query('CREATE DATABASE hark_soak');
    await client.end();
  }

  placeInitialFiles(): void {
    for (const file of this.library.files.filter((f) => f.role === 'initial')) this.place(file, true);
  }

  private place(file: LibraryFile, settled: boolean): void {
    placeLibraryFile(this.library, file, this.notes, settled);
    this.expectedPaths.push(file.path);
  }

  private drop(count: number): void {
    for (const file of this.lateFiles.splice(0, count)) this.place(file, false);
  }

  /** The main node first (it migrates, recovers and scans), then the workers side by side. */
  async startAll(): Promise<void> {
    await this.startNode(this.slots[0] as NodeSlot);
    await Promise.all(this.slots.slice(1).map((slot) => this.startNode(slot)));
  }

  private async startNode(slot: NodeSlot): Promise<void> {
    const life = new HarkLife({
      notes: this.notes,
      data: slot.data,
      engineLog: this.engineLog,
      marker: this.marker,
      stderrFile: join(this.dir, `node-${slot.index}.log`),
      tmpDir: this.tmp,
      command: nodeCommand(slot.role, {
        store: this.storeUrl,
        notes: this.notes,
        data: slot.data,
        engine: this.options.engine ?? 'pocketsphinx',
        leaseSeconds: this.leaseSeconds,
      }),
    });
    slot.life = life;
    // A node without a server has no URL: ready is the instance file saying so.
    const ready = await harkReadyOrExit(life.child, slot.data, 120_000);
    if (ready === null) {
      this.nodeExits.push(
        `node ${slot.index} (${slot.role}, pid ${life.pid}) died while starting:\n${life.stderr.slice(-1500)}`,
      );
      slot.life = null;
      return;
    }
    if (slot.role === 'main') this.deadSinceMainStart.clear();
  }

  /** Nodes that ended without our SIGKILL are noted, then started again. */
  private async reviveExited(): Promise<void> {
    for (const slot of this.slots) {
      const life = slot.life;
      if (life && !life.alive && life.killedAt === null) {
        const exit = await life.exit;
        this.nodeExits.push(
          `node ${slot.index} (${slot.role}, pid ${life.pid}) exited by itself: code ${exit.code} signal ${exit.signal}\n${life.stderr.slice(-1500)}`,
        );
        this.died(life.pid);
      }
      if (!slot.life?.alive) await this.startNode(slot);
    }
  }

  private died(pid: number): void {
    this.deadAt.set(pid, Date.now());
    this.deadSinceMainStart.add(pid);
  }

  async event(index: number, event: NodeEvent): Promise<void> {
    await delay(event.delayMs);
    await this.reviveExited();
    if (event.kind === 'kill') {
      const slot = this.slots[event.node] as NodeSlot;
      const life = slot.life;
      if (life) {
        await life.kill();
        this.killedPids.add(life.pid);
        this.died(life.pid);
        this.kills.push({
          event: index,
          node: slot.index,
          role: slot.role,
          pid: life.pid,
          ranMs: Date.now() - life.startedAt,
        });
        this.log(
          `event ${index + 1}: SIGKILL node ${slot.index} (${slot.role}, pid ${life.pid}) after ${event.delayMs} ms`,
        );
      }
      await this.check(`after event ${index + 1} (kill node ${slot.index})`);
      if (event.drop > 0) this.drop(event.drop);
      await this.startNode(slot);
    } else {
      this.log(`event ${index + 1}: PostgreSQL stopped (immediate) for ${event.downMs} ms`);
      await this.cluster.stopServer();
      await delay(event.downMs);
      await this.cluster.startServer();
      this.pgRestarts++;
      await this.check(`after event ${index + 1} (PostgreSQL restart)`);
    }
  }

  /** Pids that may hold a processing task now: the live nodes, and dead ones not yet taken back from. */
  private allowedPids(): Set<number> {
    const allowed = new Set<number>();
    for (const slot of this.slots) if (slot.life?.alive) allowed.add(slot.life.pid);
    const leaseMs = (this.leaseSeconds + 15) * 1000;
    for (const [pid, at] of this.deadAt) {
      const mayHold =
        (this.options.reclaim ?? 'lease') === 'lease'
          ? Date.now() - at < leaseMs
          : this.deadSinceMainStart.has(pid);
      if (mayHold) allowed.add(pid);
    }
    return allowed;
  }

  private async check(when: string): Promise<void> {
    // Files are listed before the snapshot: a transcript written after its commit is then never newer than the snapshot.
    const { sidecars } = listNotes(this.notes);
    const snapshot = await postgresSnapshot(this.storeUrl);
    const problems = [
      ...databaseProblems(snapshot),
      ...processingProblems(snapshot, this.allowedPids()),
      ...sidecarProblems(this.notes, sidecars, snapshot),
    ];
    this.violations.push(...problems.map((p) => `${when}: ${p}`));
  }

  /** Tasks waiting or running, audio the database does not know yet, files still being copied in. */
  private async work(): Promise<{ left: number; heldByDead: number }> {
    const { audio, hidden } = listNotes(this.notes);
    const copying = hidden.filter((path) => path.endsWith('.partial')).length;
    const snapshot = await postgresSnapshot(this.storeUrl);
    const known = new Set(snapshot.transcriptions.map((t) => t.audio_path));
    const live = snapshot.tasks.filter((t) => t.status === 'pending' || t.status === 'processing');
    const alive = new Set(this.slots.flatMap((s) => (s.life?.alive ? [s.life.pid] : [])));
    const heldByDead = live.filter(
      (t) => t.status === 'processing' && !alive.has(pidOfWorker(t.locked_by) ?? -1),
    );
    return {
      left: live.length + audio.filter((p) => !known.has(p)).length + copying,
      heldByDead: heldByDead.length,
    };
  }

  /** Every late file in, every node up, the queue run dry; then every node stopped cleanly. */
  async finish(timeoutMs: number): Promise<void> {
    this.drop(this.lateFiles.length);
    await this.reviveExited();
    const deadline = Date.now() + timeoutMs;
    let stuckSince: number | null = null;
    for (;;) {
      await this.reviveExited();
      const { left, heldByDead } = await this.work();
      if (left === 0) break;
      if (Date.now() > deadline) {
        this.violations.push(
          `the queue was not done ${timeoutMs / 1000} s into the final sweep (${left} left)`,
        );
        break;
      }
      // Before leases: only the main node's recovery at start takes a dead node's task back.
      if (heldByDead > 0 && (this.options.reclaim ?? 'lease') === 'restart-main') {
        stuckSince ??= Date.now();
        if (Date.now() - stuckSince > 2_000) {
          const main = this.slots[0] as NodeSlot;
          this.log(
            `final sweep: ${heldByDead} task(s) held by dead nodes; restarting the main node to recover them`,
          );
          await main.life?.stop();
          await this.startNode(main);
          this.reclaimRestarts++;
          stuckSince = null;
        }
      } else stuckSince = null;
      await delay(500);
    }
    await this.check('final sweep, idle');
    for (const slot of this.slots) {
      const exit = await slot.life?.stop();
      if (exit && exit.code !== 0)
        this.violations.push(`node ${slot.index} stopped with code ${exit.code} signal ${exit.signal}`);
    }
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

  /** Whatever is still running (a run that threw), SIGKILLed. */
  async stopAll(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.life?.kill()));
  }

  async report(wallMs: number): Promise<MultiNodeReport> {
    const snapshot = await postgresSnapshot(this.storeUrl);
    const final = finalProblems(this.notes, snapshot, this.library.files, [...new Set(this.expectedPaths)]);
    const entries = readEngineLog(this.engineLog) as AuditedEntry[];
    const audit = auditEngineLog(entries, this.killedPids);
    return {
      seed: this.options.seed,
      dir: this.dir,
      nodes: this.options.nodes,
      libraryFiles: this.library.files.length,
      kills: this.kills,
      pgRestarts: this.pgRestarts,
      nodeExits: this.nodeExits,
      reclaimRestarts: this.reclaimRestarts,
      filesAtEnd: final.files.length,
      complete: final.files.filter((f) => f.status === 'complete').length,
      failed: final.files
        .filter((f) => f.status === 'failed')
        .map((f) => ({ path: f.path, kind: f.errorKind, message: f.errorMessage })),
      lost: final.lost,
      duplicates: final.duplicates,
      violations: [
        ...this.violations,
        ...this.nodeExits,
        ...databaseProblems(snapshot),
        ...processingProblems(snapshot, new Set()),
        ...final.violations,
      ],
      invocations: audit.invocations,
      orphansLeft: this.orphansLeft,
      maxWer: Math.max(0, ...final.files.map((f) => f.wer ?? 0)),
      wallMs,
    };
  }
}

/** The result in a few lines (lost, duplicates and violations must all be 0). */
export function formatMultiNodeSummary(report: MultiNodeReport): string {
  const byRole = (role: NodeRole) => report.kills.filter((k) => k.role === role).length;
  const lines = [
    `seed ${report.seed}: ${report.nodes} nodes, ${report.kills.length} SIGKILLs (main ${byRole('main')}, workers ${byRole('worker')}), ` +
      `${report.pgRestarts} PostgreSQL restarts, ${report.reclaimRestarts} main-node restart(s) in the final sweep to take back dead nodes' tasks`,
    `files: ${report.filesAtEnd} at the end (library ${report.libraryFiles}); complete ${report.complete}, failed ${report.failed.length}`,
    ...report.failed.map((f) => `  failed ${f.path}: [${f.kind}] ${f.message}`),
    `lost: ${report.lost.length}; transcribed twice: ${report.duplicates.length}; other violations: ${report.violations.length} (nodes that ended by themselves: ${report.nodeExits.length})`,
    `engine calls: ${report.invocations}; processes left at the end: ${report.orphansLeft}; worst word error rate: ${report.maxWer.toFixed(2)}`,
    `wall time: ${(report.wallMs / 1000).toFixed(0)} s; run folder: ${report.dir}`,
  ];
  const problems = [...report.lost, ...report.duplicates, ...report.violations];
  if (problems.length > 0) lines.push('PROBLEMS:', ...problems.slice(0, 50).map((p) => `  ${p}`));
  return lines.join('\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
