import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './freshBuild.js';

const live = new Set<ChildProcess>();

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI's source: what a child runs when it has no build beside it (nobody's copy, nobodyKit.ts). */
export const SOURCE_CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** The CLI children run: the build when it is fresh (see freshBuild.ts), else the source. */
export const CLI = buildIsFresh(ROOT)
  ? fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))
  : SOURCE_CLI;

/** Spawns a process that the leak check (tests/helpers/setup.ts) expects to be gone by the end of the test. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** The Node options a script needs: tsx for TypeScript, nothing for a built `.js` file. */
export function loaderFor(script: string): string[] {
  return script.endsWith('.ts') ? ['--import', 'tsx'] : [];
}

/** Whether a process command line is Hark's CLI, from source or from the build. */
export function isHarkCli(command: string): boolean {
  return command.includes('src/cli/main.ts') || command.includes('dist/cli/main.js');
}

/** Runs a script in a child Node process: TypeScript through tsx, a built `.js` file as it is. */
export function spawnTs(script: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawnTracked(process.execPath, [...loaderFor(script), script, ...args], { cwd: ROOT, ...options });
}

/** Processes still running: the setup file fails the test that left them, and kills them. */
export function leakedProcesses(): ChildProcess[] {
  return [...live].filter((child) => child.exitCode === null && child.signalCode === null);
}

export function killLeaked(): void {
  for (const child of leakedProcesses()) child.kill('SIGKILL');
  live.clear();
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output and resolves when it exits. */
export function exited(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
}

/** Resolves when the child's output (stdout or stderr) contains a line matching `pattern`. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        cleanup();
        resolve(match[0]);
      }
    };
    const onExit = () => {
      cleanup();
      reject(new Error(`process exited before printing ${pattern}; output:\n${seen}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${pattern}; output:\n${seen}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Runs the CLI (the fresh build, else the source) to completion. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Exit> {
  return exited(spawnTs(CLI, args, { env: { ...process.env, ...env } }));
}
