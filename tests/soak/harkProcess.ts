import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { harkReadyOrExit } from '../helpers/harkReady.js';
import { CLI, type Exit, exited, spawnTs } from '../helpers/processes.js';

export interface HarkLifeOptions {
  notes: string;
  data: string;
  engineLog: string;
  /** Every process Hark starts inherits this variable: the process table is searched for it. */
  marker: string;
  /** HARK_CRASH_AT, when this life is to die at a crash point. */
  crashAt?: string;
  /** Where this life's stderr is appended, for reading after a failed run. */
  stderrFile: string;
  /** TMPDIR for Hark and what it starts, so that what a kill leaves there can be counted. */
  tmpDir?: string;
  /** pocketsphinx (the default: real audio, real child processes) or fake (focused tests). */
  engine?: 'pocketsphinx' | 'fake';
  extraArgs?: string[];
  /** Another command than `hark start` (a node of the multi-node soak: tests/soak/nodeCommand.ts). */
  command?: { script: string; args: string[] };
}

/**
 * One life of `hark start`, run from source exactly as a user runs the CLI,
 * with the real pocketsphinx engine (by default) and a free port.
 */
export class HarkLife {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startedAt = Date.now();
  readonly exit: Promise<Exit>;
  url: string | null = null;
  /** Set when we sent the SIGKILL (a crash point's own SIGKILL is not ours). */
  killedAt: number | null = null;
  private output = '';

  constructor(readonly options: HarkLifeOptions) {
    const args = [
      'start',
      '--engine',
      options.engine ?? 'pocketsphinx',
      '--port',
      '0',
      '--notes',
      options.notes,
    ];
    args.push('--data', options.data, ...(options.extraArgs ?? []));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HARK_ENGINE_LOG: options.engineLog,
      HARK_SOAK_MARKER: options.marker,
    };
    delete env.HARK_CRASH_AT;
    if (options.tmpDir) env.TMPDIR = options.tmpDir;
    if (options.crashAt) env.HARK_CRASH_AT = options.crashAt;
    this.child = options.command
      ? spawnTs(options.command.script, options.command.args, { env })
      : spawnTs(CLI, args, { env });
    if (this.child.pid === undefined) throw new Error('could not start hark');
    this.pid = this.child.pid;
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      appendFileSync(options.stderrFile, chunk);
    });
    this.exit = exited(this.child);
  }

  /**
   * Resolves with the URL once Hark's instance file says this life is ready
   * (the first scan done), or null if it died first.
   */
  async running(timeoutMs = 60_000): Promise<string | null> {
    try {
      const info = await harkReadyOrExit(this.child, this.options.data, timeoutMs);
      this.url = info?.url ?? null;
      return this.url;
    } catch (error) {
      throw new Error(`hark (pid ${this.pid}) did not start within ${timeoutMs} ms:\n${this.output}`, {
        cause: error,
      });
    }
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL, as a power cut or `kill -9` would; resolves once it is dead. */
  async kill(): Promise<Exit> {
    if (this.alive) {
      this.killedAt = Date.now();
      this.child.kill('SIGKILL');
    }
    return this.exit;
  }

  /** A clean stop (SIGTERM), as `Ctrl-C` or a service manager would. */
  async stop(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGTERM');
    return this.exit;
  }

  get stderr(): string {
    return this.output;
  }
}
