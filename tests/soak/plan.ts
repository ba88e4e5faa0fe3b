import type { CrashPoint } from '../../src/core/crashPoints.js';
import { Prng } from './prng.js';

export type KillKind = 'random' | CrashPoint;
export const KILL_KINDS: readonly KillKind[] = ['random', 'claim', 'chunk', 'commit', 'scan', 'upload'];

export type UploadKind = 'recording' | 'import';

/** An upload made while Hark runs: sent whole (and answered, unless Hark dies first), or only half sent. */
export interface PlannedUpload {
  kind: UploadKind;
  /** Half the body is sent and the rest never: the upload is in flight when Hark dies. */
  slow: boolean;
}

/** One life of Hark, ended by a SIGKILL. */
export interface PlannedKill {
  kind: KillKind;
  /** HARK_CRASH_AT=<kind>:<n> for a crash point: the n-th pass kills. */
  n: number;
  /** A random kill: this long after the spawn (so it can land in start-up and recovery), or after it is running. */
  delayMs: number;
  fromSpawn: boolean;
  /** New files dropped into the notes folder: before the start (the start-up scan takes them) or while it runs (the watcher does). */
  drop: number;
  dropBeforeStart: boolean;
  uploads: PlannedUpload[];
}

export interface SoakPlan {
  seed: number;
  kills: PlannedKill[];
  /** How many library files are kept back to be dropped in during the run (a reserve included), and to be uploaded. */
  lateFiles: number;
  uploadFiles: number;
}

/** The share of kills at each named crash point (the rest are SIGKILLs at random moments). */
const CRASH_POINT_SHARE = 0.12;

/**
 * The kill schedule, all from the seed: every crash point at least once, the
 * rest random kills; some lives drop new files in or upload while they run.
 * The library keeps back as many files as the schedule drops and uploads.
 */
export function planSoak(options: {
  seed: number;
  kills: number;
  files: number;
  /** Short lives and a small library: the version `npm test` runs. */
  quick?: boolean;
}): SoakPlan {
  const prng = new Prng(options.seed).fork('kills');
  const perPoint = Math.max(1, Math.round(options.kills * CRASH_POINT_SHARE));
  const kinds: KillKind[] = [];
  for (const kind of KILL_KINDS.slice(1)) for (let i = 0; i < perPoint; i++) kinds.push(kind);
  while (kinds.length < options.kills) kinds.push('random');
  // Crash-point lives always get the files and uploads they need; random lives drop in and upload
  // from what is left of 15 % of the library each.
  let dropBudget = Math.floor(options.files * 0.15);
  let uploadBudget = Math.floor(options.files * 0.15);
  const kills = prng.shuffle(kinds.slice(0, options.kills)).map((kind): PlannedKill => {
    const kill: PlannedKill = {
      kind,
      n: 1,
      delayMs: 0,
      fromSpawn: false,
      drop: 0,
      dropBeforeStart: false,
      uploads: [],
    };
    switch (kind) {
      case 'random':
        kill.fromSpawn = prng.chance(0.2);
        kill.delayMs = kill.fromSpawn ? prng.int(0, 3_000) : prng.int(200, options.quick ? 6_000 : 12_000);
        if (prng.chance(0.2) && dropBudget > 0) kill.drop = Math.min(dropBudget, prng.int(1, 2));
        if (prng.chance(0.25) && uploadBudget > 0) {
          kill.uploads.push({ kind: prng.pick(['recording', 'import'] as const), slow: prng.chance(0.5) });
        }
        break;
      case 'claim':
      case 'commit':
        kill.n = prng.int(1, 3);
        break;
      case 'chunk':
        kill.n = prng.int(1, 4);
        break;
      case 'scan':
        kill.drop = prng.int(2, 4);
        kill.dropBeforeStart = prng.chance(0.5);
        kill.n = prng.int(1, kill.drop);
        break;
      case 'upload':
        // The recording is received whole and Hark dies before placing it; an import is half sent beside it.
        kill.uploads.push({ kind: 'import', slow: true }, { kind: 'recording', slow: false });
        break;
    }
    dropBudget -= kill.drop;
    uploadBudget -= kill.uploads.length;
    return kill;
  });
  // Plus a reserve, dropped in when a crash-point life would otherwise find the queue empty.
  const reserve = Math.max(4, Math.floor(options.files * 0.1));
  const lateFiles = kills.reduce((sum, kill) => sum + kill.drop, 0) + reserve;
  const uploadFiles = kills.reduce((sum, kill) => sum + kill.uploads.length, 0) + 2;
  return { seed: options.seed, kills, lateFiles, uploadFiles };
}

/** One thing done to a multi-node run: a node SIGKILLed (and started again), or the PostgreSQL server restarted. */
export type NodeEvent =
  | { kind: 'kill'; node: number; delayMs: number; drop: number }
  | { kind: 'pg-restart'; delayMs: number; downMs: number };

/**
 * The multi-node soak's schedule, all from the seed: `kills` SIGKILLs of random nodes at
 * random moments (node 0 is the main node), `pgRestarts` server restarts spread evenly among
 * them, and late files dropped in after some kills (15 % of the library in all).
 */
export function planMultiNodeSoak(options: {
  seed: number;
  nodes: number;
  kills: number;
  pgRestarts: number;
  files: number;
  quick?: boolean;
}): { events: NodeEvent[]; lateFiles: number } {
  const prng = new Prng(options.seed).fork('nodes');
  let dropBudget = Math.floor(options.files * 0.15);
  const events: NodeEvent[] = [];
  const maxDelay = options.quick ? 2_500 : 8_000;
  for (let i = 0; i < options.kills; i++) {
    const drop = dropBudget > 0 && prng.chance(0.3) ? Math.min(dropBudget, prng.int(1, 2)) : 0;
    dropBudget -= drop;
    events.push({
      kind: 'kill',
      node: prng.int(0, options.nodes - 1),
      delayMs: prng.int(300, maxDelay),
      drop,
    });
  }
  for (let r = 0; r < options.pgRestarts; r++) {
    const at = Math.round(((r + 1) * (events.length + 1)) / (options.pgRestarts + 1));
    events.splice(Math.min(at, events.length), 0, {
      kind: 'pg-restart',
      delayMs: prng.int(300, maxDelay),
      downMs: prng.int(500, options.quick ? 1_500 : 4_000),
    });
  }
  const lateFiles = events.reduce((sum, e) => sum + (e.kind === 'kill' ? e.drop : 0), 0);
  return { events, lateFiles };
}
