import { type ChildProcess, spawn } from 'node:child_process';
import { EngineFailed, HarkError } from '../core/errors.js';
import { abortedError } from './abortable.js';

export interface GroupRunOptions {
  signal: AbortSignal;
  /** What to call the program in error messages, e.g. `pocketsphinx`. */
  label: string;
  /** Kill the whole group and fail with EngineFailed after this long. None by default. */
  timeoutMs?: number | undefined;
  /** Called with each complete line of stdout as it arrives (for progress). */
  onStdoutLine?: ((line: string) => void) | undefined;
  /** Told the program's pid (its process group's id) once it is started. */
  onSpawn?: ((pid: number) => void) | undefined;
  /** Told the child itself once spawned (a program started ahead unrefs it while it waits). */
  onChild?: ((child: ChildProcess) => void) | undefined;
  /** Called with each complete line of stderr as it arrives (for a long-lived program's log). */
  onStderrLine?: ((line: string) => void) | undefined;
  /** A runaway program is killed rather than allowed to fill memory. */
  maxStdoutBytes?: number | undefined;
  /** How many of stderr's last lines to keep (default 20). */
  stderrLines?: number | undefined;
  cwd?: string | undefined;
}

export interface GroupRunResult {
  /** Exit code, or null when a signal ended the program. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last lines of stderr (bounded), for error messages. */
  stderrTail: string[];
}

const DEFAULT_MAX_STDOUT = 16 * 1024 * 1024;
const STDERR_TAIL_LINES = 20;

/**
 * Runs a program in its own process group (`detached`, `shell: false`), so that
 * an abort or a time-out can kill it together with anything it started (a
 * wrapper script's children, say). Resolves with the exit status once every
 * process and pipe is closed; rejects with Aborted only after the group is dead,
 * so a caller never leaves a child behind.
 */
export function runInProcessGroup(
  command: string,
  args: readonly string[],
  options: GroupRunOptions,
): Promise<GroupRunResult> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(abortedError(options.signal));
      return;
    }
    const child = spawn(command, args, {
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd,
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    options.onChild?.(child);
    const stdout = collectStdout(child, options);
    const stderrTail = collectTail(child, options.stderrLines ?? STDERR_TAIL_LINES, options.onStderrLine);
    let failure: Error | null = null;
    let exited = false;

    const stopWith = (error: Error) => {
      // Once the program has exited on its own its result stands, and 'close' follows at once.
      if (failure || exited) return;
      failure = error;
      killProcessGroup(child);
    };
    const onAbort = () => stopWith(abortedError(options.signal));
    options.signal.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => stopWith(new EngineFailed(`${options.label} timed out after ${options.timeoutMs} ms`)),
            options.timeoutMs,
          );
    stdout.onOverflow = () =>
      stopWith(new EngineFailed(`${options.label} printed more than ${stdout.limit} bytes`));

    const finish = () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      finish();
      if (error.code === 'ENOENT') {
        reject(
          new HarkError('engine_unavailable', `${options.label}: program not found: ${command}`, {
            cause: error,
          }),
        );
      } else {
        reject(new EngineFailed(`${options.label} could not be started: ${error.message}`, error));
      }
    });
    child.once('exit', () => {
      exited = true;
      // Nothing the program started outlives it: a straggler left in its group
      // would also hold the pipes open, and 'close' would never come.
      killProcessGroup(child);
      // After a kill, 'exit' is enough; the pipes are not waited for.
      if (failure) {
        finish();
        child.stdout?.destroy();
        child.stderr?.destroy();
        reject(failure);
      }
    });
    child.once('close', (code, signal) => {
      finish();
      if (failure) return;
      resolve({ code, signal, stdout: stdout.text(), stderrTail: stderrTail.lines() });
    });
  });
}

/** Kills a detached child's whole process group at once; a group already gone is fine. */
export function killProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

interface StdoutCollector {
  readonly limit: number;
  onOverflow: () => void;
  text(): string;
}

function collectStdout(child: ChildProcess, options: GroupRunOptions): StdoutCollector {
  const limit = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  const chunks: Buffer[] = [];
  let size = 0;
  let partialLine = '';
  const collector: StdoutCollector = {
    limit,
    onOverflow: () => {},
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      collector.onOverflow();
      return;
    }
    chunks.push(chunk);
    if (!options.onStdoutLine) return;
    const lines = (partialLine + chunk.toString('utf8')).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) options.onStdoutLine(line);
  });
  return collector;
}

function collectTail(
  child: ChildProcess,
  keepLines: number,
  onLine?: (line: string) => void,
): { lines(): string[] } {
  const keepChars = keepLines * 400;
  let text = '';
  let partialLine = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep only the end: the reason a program failed is in its last words.
    text = (text + chunk.toString('utf8')).slice(-keepChars);
    if (!onLine) return;
    const lines = (partialLine + chunk.toString('utf8')).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  return {
    lines: () =>
      text
        .split(/\r?\n|\r/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .slice(-keepLines),
  };
}
