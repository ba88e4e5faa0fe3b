import { execFile } from 'node:child_process';
import { constants, existsSync, open as openFd, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EngineFailed } from '../core/errors.js';
import { abortedError } from './abortable.js';
import { type GroupRunResult, runInProcessGroup } from './processGroup.js';
import { makeWindowFolder } from './wav.js';

/**
 * How a spare is started: `setpriv --pdeathsig KILL` (util-linux) makes the
 * kernel kill it when Hark dies. Without that, a Hark killed while its spare
 * still loads the model would leave the spare blocked for good on opening its
 * FIFO, which nobody would ever write to again.
 */
export interface SpareLaunch {
  /** The `setpriv` program, found in PATH. */
  setpriv: string;
  /** The `pocketsphinx_continuous` program, found in PATH. */
  binary: string;
  /** Its arguments after `-infile <fifo> -logfn <log>`. */
  args: readonly string[];
}

export interface HearOptions {
  signal: AbortSignal;
  timeoutMs: number;
  onStdoutLine?: (line: string) => void;
}

/**
 * A `pocketsphinx_continuous` started ahead of its window (issue #14): it
 * loads its model while the window before is still being heard, then waits
 * on a FIFO (`-infile`) for the window's wav. Starting one costs about 0.4 s
 * of model load, a 10 s note's decode about 2 s; on two cores the load of the
 * next window's process runs beside the current one's decode, off the
 * critical path. Each process still hears exactly one window, from a fresh
 * model, as a process started for it would: same arguments, same bytes in.
 *
 * Hark holds the FIFO open for reading and writing from before the spawn, so
 * the process's own open never waits and it blocks on its first read instead;
 * the window's end is the close of Hark's descriptor.
 */
export class SpareProcess {
  pid: number | undefined;
  /** Set once the process has exited, however. */
  ended = false;

  /**
   * Whether it still runs, as far as the kernel knows now: Node hears of an exit a moment after it
   * (a SIGCHLD, then the streams' end), so a spare killed while it waited can look alive to
   * `ended` when the next window comes; /proc says at once (a zombie is dead).
   */
  get running(): boolean {
    return !this.ended && this.pid !== undefined && kernelSaysRunning(this.pid);
  }
  private handedOver = false;
  private lineListener: ((line: string) => void) | null = null;
  private readonly stopper = new AbortController();
  private readonly exited: Promise<GroupRunResult | Error>;

  private constructor(
    readonly folder: string,
    private readonly audio: Socket,
    launch: SpareLaunch,
    fifo: string,
    readonly logPath: string,
  ) {
    const args = [
      '--pdeathsig',
      'KILL',
      '--',
      launch.binary,
      '-infile',
      fifo,
      '-logfn',
      logPath,
      ...launch.args,
    ];
    const run = runInProcessGroup(launch.setpriv, args, {
      signal: this.stopper.signal,
      label: 'pocketsphinx',
      onSpawn: (pid) => {
        this.pid = pid;
      },
      onChild: (child) => {
        // A waiting spare must not keep Hark (or a CLI command) from exiting: the kernel ends it then.
        this.unref = () => {
          child.unref();
          (child.stdout as Socket | null)?.unref();
          (child.stderr as Socket | null)?.unref();
        };
        this.ref = () => {
          child.ref();
          (child.stdout as Socket | null)?.ref();
          (child.stderr as Socket | null)?.ref();
        };
        this.unref();
      },
      onStdoutLine: (line) => this.lineListener?.(line),
    });
    this.exited = run.then(
      (result) => result,
      (error: Error) => error,
    );
    void this.exited.then(() => {
      this.ended = true;
      this.audio.destroy();
    });
    // Writing into a FIFO whose reader died: the error is the process's exit, read from there.
    audio.on('error', () => {});
  }

  private unref: () => void = () => {};
  private ref: () => void = () => {};

  /** Makes the FIFO and its folder and starts the process, which then loads its model. */
  static async start(launch: SpareLaunch): Promise<SpareProcess> {
    const folder = await makeWindowFolder();
    try {
      // The name ends in .wav: pocketsphinx checks the header as it does for a wav file.
      const fifo = join(folder, 'window.wav');
      await promisify(execFile)('mkfifo', [fifo]);
      const fd = await promisify(openFd)(fifo, constants.O_RDWR | constants.O_NONBLOCK);
      // Written to only: a reading socket would take the window from pocketsphinx.
      const audio = new Socket({ fd, readable: false, writable: true });
      return new SpareProcess(folder, audio, launch, fifo, join(folder, 'pocketsphinx.log'));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Gives the process its window and resolves with what it printed, once it
   * has exited. An abort or the time-out kills it (and rejects once it is gone).
   */
  async hear(wav: Buffer, options: HearOptions): Promise<GroupRunResult> {
    if (this.handedOver) throw new Error('a spare pocketsphinx hears one window only');
    this.handedOver = true;
    this.ref();
    this.lineListener = options.onStdoutLine ?? null;
    let timedOut = false;
    const onAbort = () => this.stopper.abort(options.signal.reason);
    const timer = setTimeout(() => {
      timedOut = true;
      this.stopper.abort();
    }, options.timeoutMs);
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) onAbort();
    try {
      // Closing Hark's end, once all is written, is the end of the file for pocketsphinx.
      this.audio.write(wav, () => this.audio.destroy());
      const outcome = await this.exited;
      if (outcome instanceof Error) {
        if (timedOut) throw new EngineFailed(`pocketsphinx timed out after ${options.timeoutMs} ms`);
        if (options.signal.aborted) throw abortedError(options.signal);
        throw outcome;
      }
      return outcome;
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      this.lineListener = null;
    }
  }

  /** Kills the process (if it still runs), resolving once it is gone; the folder is removed by remove(). */
  async kill(): Promise<void> {
    // Waited for: its exit must keep Hark's event loop alive until it is seen.
    this.ref();
    this.stopper.abort();
    await this.exited;
    this.audio.destroy();
  }

  /** Removes the FIFO, the log and their folder. */
  async remove(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}

/**
 * The one spare a recogniser keeps started ahead for its next window: taken
 * by the window that comes, started again at once for the one after it, and
 * ended when an abort, a dispose or the idle time says nobody will ask for it.
 */
export class SpareSlot {
  private waiting: Promise<SpareProcess> | null = null;
  /** The waiting spare is kept for a recording (keepOneReady): an abort of other work leaves it. */
  private kept = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Stops the waiting spare's tie to the signal of the call that started it. */
  private releaseSignal: () => void = () => {};

  constructor(
    private readonly launch: SpareLaunch,
    private readonly options: { idleMs: number; onStarted?: (pid: number) => void },
  ) {}

  /** The spare, if one waits and still runs (one killed while it waited heard nothing: it is replaced), or a new one. */
  async take(): Promise<SpareProcess> {
    const process = await this.empty();
    if (process?.running) return process;
    if (process) {
      await process.kill(); // dead already, but Node may not have seen its exit yet
      await process.remove();
    }
    return this.started();
  }

  /** Starts the next window's process ahead, unless one waits already; it is ended if nobody asks for it in time. */
  fillAhead(signal: AbortSignal): void {
    if (this.waiting) return;
    const spare = this.started();
    spare.catch(() => {});
    this.waiting = spare;
    this.kept = false;
    // Aborted between windows (no call in flight to hear it), the task's spare goes too.
    const onAbort = () => {
      if (this.waiting === spare) void this.endUnlessKept();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.releaseSignal = () => signal.removeEventListener('abort', onAbort);
    this.endWhenIdle();
  }

  /**
   * Has a spare waiting for a window that is about to come (a recording: Hark calls this when
   * you press Record), started now or the one already waiting, and keeps it through the abort
   * of the background work that the recording pre-empts: only the idle time, a dispose or the
   * window that takes it end it. Resolves once it has started.
   */
  async keepOneReady(): Promise<void> {
    if (!this.waiting) {
      this.waiting = this.started();
      this.waiting.catch(() => {});
    }
    this.releaseSignal();
    this.releaseSignal = () => {};
    this.kept = true;
    this.endWhenIdle();
    await this.waiting.catch(() => null);
  }

  /** An abort's end: kills the waiting spare unless keepOneReady keeps it for a recording. */
  async endUnlessKept(): Promise<void> {
    if (this.kept) return;
    await this.end();
  }

  /** Kills the waiting spare, if any, resolving once it is gone. */
  async end(): Promise<void> {
    const process = await this.empty();
    if (!process) return;
    await process.kill();
    await process.remove();
  }

  private endWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.end(), this.options.idleMs);
    this.idleTimer.unref();
  }

  /** Takes the waiting spare out of the slot (null if none, or if it failed to start). */
  private async empty(): Promise<SpareProcess | null> {
    const waiting = this.waiting;
    this.waiting = null;
    this.kept = false;
    clearTimeout(this.idleTimer);
    this.releaseSignal();
    return waiting ? await waiting.catch(() => null) : null;
  }

  private async started(): Promise<SpareProcess> {
    const process = await SpareProcess.start(this.launch);
    if (process.pid !== undefined) this.options.onStarted?.(process.pid);
    return process;
  }
}

const HAS_PROC = existsSync('/proc/self/stat');

/** The process is neither gone nor a zombie, by /proc (where there is no /proc: assumed running). */
function kernelSaysRunning(pid: number): boolean {
  if (!HAS_PROC) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state is the field after the command, which sits in parentheses and may hold spaces.
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}
