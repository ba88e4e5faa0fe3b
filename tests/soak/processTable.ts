import { readdirSync, readFileSync } from 'node:fs';

export interface MarkedProcess {
  pid: number;
  ppid: number;
  /** R running, S sleeping, Z zombie … */
  state: string;
  command: string;
}

/**
 * Every living process that carries `HARK_SOAK_MARKER=<marker>` in its
 * environment: the Hark lives of this soak and everything they started
 * (ffmpeg, pocketsphinx), even after a SIGKILL left them without a parent.
 * Linux only (/proc).
 */
export function markedProcesses(marker: string): MarkedProcess[] {
  const needle = `HARK_SOAK_MARKER=${marker}\0`;
  const found: MarkedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (!environ.includes(needle)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const [state = '?', ppid = '0'] = stat.slice(close + 2).split(' ');
      if (state === 'Z') continue;
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(name), ppid: Number(ppid), state, command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/**
 * Waits until no process but `keep` carries the marker, polling (there is no
 * event for the exit of a process that is not our child). Returns those still
 * there after `timeoutMs`.
 */
export async function awaitMarkedGone(
  marker: string,
  keep: ReadonlySet<number>,
  timeoutMs: number,
): Promise<MarkedProcess[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = markedProcesses(marker).filter((p) => !keep.has(p.pid) && !isDescendantOf(p, keep));
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isDescendantOf(process: MarkedProcess, roots: ReadonlySet<number>): boolean {
  let ppid = process.ppid;
  for (let depth = 0; depth < 16 && ppid > 1; depth++) {
    if (roots.has(ppid)) return true;
    try {
      const stat = readFileSync(`/proc/${ppid}/stat`, 'utf8');
      ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}
