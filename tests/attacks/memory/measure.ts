import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { authHeaders, rememberHark } from '../../helpers/auth.js';
import { spawnTracked } from '../../helpers/processes.js';

export const HARNESS = fileURLToPath(new URL('./harkWithGc.ts', import.meta.url));

export interface Memory {
  /** V8 heap in use after a full collection. */
  heapUsed: number;
  /** Resident set size as the kernel counts it (/proc/<pid>/status VmRSS). */
  rss: number;
}

export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** Hark in a child process (harkWithGc.ts) and a way to measure its memory. */
export interface MeasuredHark {
  child: ChildProcess;
  port: number;
  /** The install's secret as a bearer header (SseClient finds it by the port by itself). */
  authHeaders: Record<string, string>;
  /** Collects garbage in the child and reads its heap and RSS. */
  measure(): Promise<Memory>;
  /** Closes its stdin: it stops cleanly and exits. */
  stop(): Promise<number | null>;
}

export async function startMeasuredHark(notes: string, data: string): Promise<MeasuredHark> {
  const child = spawnTracked(process.execPath, ['--expose-gc', '--import', 'tsx', HARNESS, notes, data], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw new Error('the measured Hark exited');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const { url } = (await nextLine()) as { url: string };
  const port = Number(new URL(url).port);
  rememberHark(port, data);
  return {
    child,
    port,
    authHeaders: authHeaders(data),
    measure: async () => {
      child.stdin?.write('gc\n');
      const { heapUsed } = (await nextLine()) as { heapUsed: number };
      return { heapUsed, rss: residentBytes(child.pid ?? 0) };
    },
    stop: async () => {
      child.stdin?.end();
      return exit;
    },
  };
}

function residentBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** The soft limit on open files of this process (each client socket is one, here and in the server). */
export function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1] ?? '0';
  return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}
