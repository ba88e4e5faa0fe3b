import { type ChildProcess, spawn } from 'node:child_process';
import type { Log } from '../core/log.js';

export interface SleepGuardOptions {
  log: Log;
  /** The inhibitor program (default `systemd-inhibit`); tests pass a stand-in. */
  command?: string;
}

/**
 * Keeps the machine from going to sleep while Hark works, through logind's
 * inhibitor locks: `systemd-inhibit … cat` holds a lock for as long as that
 * child lives. Its `cat` reads a pipe from Hark, so the lock goes when Hark
 * releases it or when Hark dies in any way (the pipe closes). Where there is
 * no systemd-inhibit, or it cannot reach logind (a container, a VM without
 * D-Bus), Hark says so once and works on without the lock.
 */
export class SleepGuard {
  private child: ChildProcess | null = null;
  private unavailable = false;

  constructor(private readonly options: SleepGuardOptions) {}

  get holding(): boolean {
    return this.child !== null;
  }

  hold(): void {
    if (this.child || this.unavailable) return;
    const command = this.options.command ?? 'systemd-inhibit';
    const child = spawn(
      command,
      ['--what=sleep:idle', '--who=Hark', '--why=Transcribing voice notes', '--mode=block', 'cat'],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    this.child = child;
    child.stdin?.on('error', () => {}); // the inhibitor died first: its exit handler says so
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      this.giveUp(
        error.code === 'ENOENT'
          ? `${command} is not installed`
          : `${command} could not start (${error.message})`,
      );
    });
    child.once('exit', (code, signal) => {
      if (this.child !== child) return; // released on purpose
      this.giveUp(
        `${command} exited (${signal ?? `code ${code}`}${stderr.trim() ? `: ${stderr.trim()}` : ''})`,
      );
    });
  }

  release(): void {
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.stdin?.end();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }

  private giveUp(why: string): void {
    this.child = null;
    if (this.unavailable) return;
    this.unavailable = true;
    this.options.log.info(`cannot keep the machine awake while transcribing: ${why}`);
  }
}
