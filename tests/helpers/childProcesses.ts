import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc/<pid>/stat describes it (Linux only). */
interface ProcStat {
  pid: number;
  /** R running, S sleeping, Z zombie (dead, not yet reaped), … */
  state: string;
  ppid: number;
  command: string;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command is in parentheses and may itself contain spaces or parentheses.
    const close = text.lastIndexOf(')');
    const command = text.slice(text.indexOf('(') + 1, close);
    const [state = '?', ppid = '0'] = text
      .slice(close + 2)
      .split(' ')
      .slice(0, 2);
    return { pid, state, ppid: Number(ppid), command };
  } catch {
    return null;
  }
}

/** Every living descendant of `root` (children, grandchildren, …), zombies excluded. */
export function descendants(root = process.pid): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== null);
  const found: ProcStat[] = [];
  const parents = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const stat of all) {
      if (parents.has(stat.ppid) && !parents.has(stat.pid)) {
        parents.add(stat.pid);
        found.push(stat);
        grew = true;
      }
    }
  }
  return found.filter((stat) => stat.state !== 'Z');
}

/** Whether `pid` is a running (not zombie) process. */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/**
 * Waits until none of `pids` runs and returns those still running after `timeoutMs` (so that
 * `expect(await whenGone(pids)).toEqual([])` names them). A process killed with SIGKILL that
 * nobody waits for, such as a grandchild in a killed group, takes the kernel a moment to finish
 * dying, longer on a busy machine; one that was never killed is still there at the end.
 */
export async function whenGone(pids: readonly number[], timeoutMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = pids.filter(isAlive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
