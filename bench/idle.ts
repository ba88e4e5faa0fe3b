/**
 * Idle CPU (issue 9): a running Hark with an empty notes folder, an empty
 * queue and no page open, against `sleep 60`, measured the same way in the same run:
 *   npm run build && npx tsx bench/idle.ts            # the build in this checkout
 *   npx tsx bench/idle.ts /path/to/other/checkout     # another build (e.g. the old code)
 * Hark is started as a user would (`node dist/cli/main.js start`), on a free
 * port, with the command engine (no model to download). Once it says it is
 * running (its instance file in the data folder says ready) and has had a
 * few seconds to finish starting, its CPU time (utime +
 * stime from /proc/<pid>/stat, all threads, waited-for children and live
 * descendants included) is read over two consecutive windows of BENCH_SECONDS
 * (default 60), each beside its own `sleep`. The first window holds V8's
 * one-time heap-shrinking collections (the memory reducer, some 25 s after
 * start, about 0.1 s of CPU); the second is the app at rest. The kernel counts
 * in ticks of 10 ms, so the same windows are also read from schedstat (ns,
 * all threads of the live processes) for a finer figure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type InstanceInfo, readInstanceInfo } from '../src/app/instanceLock.js';
import { eventually } from '../tests/helpers/wait.js';
import { machine, printTable, type Row, scratch } from './lib.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SETTLE_MS = 5_000;
const TICKS_PER_SECOND = 100; // USER_HZ: `getconf CLK_TCK` on Linux
const TARGET_PERCENT = 0.1;

/** utime, stime, cutime, cstime (in ticks) and the parent of one process, from /proc/<pid>/stat. */
function stat(pid: number): { ticks: number; ownTicks: number; childTicks: number; ppid: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone
  }
  // The command name (field 2) may hold spaces: the fields after it start past its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (field: number) => Number(fields[field - 3]);
  const ownTicks = n(14) + n(15);
  const childTicks = n(16) + n(17);
  return { ticks: ownTicks + childTicks, ownTicks, childTicks, ppid: n(4) };
}

/** The pids of a process and its live descendants. */
function tree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) parents.set(pid, s.ppid);
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p))
      if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter(inTree);
}

/** CPU ticks of a process, its waited-for children and its live descendants. */
function treeTicks(root: number): number {
  return tree(root).reduce((sum, pid) => sum + (stat(pid)?.ticks ?? 0), 0);
}

/** CPU time in ns of every thread of a process and its live descendants (/proc/<pid>/task/<tid>/schedstat). */
function treeNs(root: number): number {
  let ns = 0;
  for (const pid of tree(root)) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {}
    for (const tid of tids) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {}
    }
  }
  return ns;
}

function startHark(checkout: string, notes: string, data: string): Promise<ChildProcess> {
  const hark = spawn(
    process.execPath,
    [
      join(checkout, 'dist/cli/main.js'),
      'start',
      '--notes',
      notes,
      '--data',
      data,
      '--port',
      '0',
      '--engine',
      'command',
      '--command',
      'cp {input} {output}',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let output = '';
  hark.stderr?.setEncoding('utf8');
  hark.stderr?.on('data', (chunk: string) => {
    output += chunk;
  });
  // Up once its instance file names it and says ready (a build from before that field: once it serves).
  return eventually(
    () => {
      if (hark.exitCode !== null || hark.signalCode !== null)
        throw new Error(`hark exited (${hark.exitCode ?? hark.signalCode}) before it was up:\n${output}`);
      const info = readInstanceInfo(data) as (Omit<InstanceInfo, 'ready'> & { ready?: boolean }) | null;
      return info !== null && info.pid === hark.pid && (info.ready ?? info.url !== null) && hark;
    },
    'hark to be up',
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

/** `sleep SECONDS` in a shell that prints its own /proc stat once the sleep has been waited for. */
function sleepBaseline(): Promise<number> {
  const shell = spawn('/bin/sh', ['-c', `sleep ${SECONDS}; cat /proc/$$/stat`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  shell.stdout.setEncoding('utf8');
  shell.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolveTicks) =>
    shell.once('exit', () => {
      const fields = output.slice(output.lastIndexOf(')') + 2).split(' ');
      resolveTicks(Number(fields[16 - 3]) + Number(fields[17 - 3])); // cutime + cstime: the sleep's
    }),
  );
}

const percentOfCore = (ticks: number) => (100 * ticks) / TICKS_PER_SECOND / SECONDS;

async function main(): Promise<void> {
  const checkout = resolve(process.argv[2] ?? '.');
  const dir = scratch('hark-bench-idle-');
  const notes = join(dir.path, 'notes');
  const data = join(dir.path, 'data');
  mkdirSync(notes);
  mkdirSync(data);
  const hark = await startHark(checkout, notes, data);
  const pid = hark.pid as number;
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const rows: Row[] = [];
    for (const window of ['first minute after start-up', 'second minute (at rest)']) {
      const baseline = sleepBaseline();
      const before = { ticks: treeTicks(pid), ns: treeNs(pid) };
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const harkTicks = treeTicks(pid) - before.ticks;
      const harkMs = (treeNs(pid) - before.ns) / 1e6;
      const sleepTicks = await baseline;
      const hp = percentOfCore(harkTicks);
      rows.push({
        benchmark: `idle Hark (empty queue, no page open), ${window}, ${SECONDS} s`,
        hark: `${hp.toFixed(3)} % of one core (${harkTicks} ticks; schedstat ${harkMs.toFixed(1)} ms = ${((100 * harkMs) / (SECONDS * 1000)).toFixed(3)} %)`,
        baseline: `sleep ${SECONDS}: ${percentOfCore(sleepTicks).toFixed(3)} % (${sleepTicks} ticks)`,
        ratio: sleepTicks > 0 ? `${(harkTicks / sleepTicks).toFixed(1)}×` : `+${harkTicks} ticks`,
        target: `≤ ${TARGET_PERCENT} %`,
        met: hp <= TARGET_PERCENT,
      });
    }
    console.log(`checkout: ${checkout}`);
    printTable('Idle CPU (issue 9)', rows);
    console.log(`\n${machine()}`);
  } finally {
    const exited = new Promise((r) => hark.once('exit', r));
    hark.kill('SIGTERM');
    await exited;
    dir.remove();
  }
}

await main();
