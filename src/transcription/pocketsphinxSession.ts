import { execFile } from 'node:child_process';
import { constants, open as openFd } from 'node:fs';
import { type FileHandle, open, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EngineFailed } from '../core/errors.js';
import type { Segment } from '../core/types.js';
import { abortedError, throwIfAborted } from './abortable.js';
import { modelArgs, type TimedWord, windowSegments, windowToHear } from './pocketsphinxWindow.js';
import { type GroupRunResult, runInProcessGroup } from './processGroup.js';
import type { RecognizeOptions, RecognizerSession } from './recognizer.js';
import { encodeWav, makeWindowFolder } from './wav.js';

export interface PocketsphinxSessionOptions {
  /** The `pocketsphinx_batch` program, by name or path. */
  binary: string;
  modelDir: string;
  pauseSeconds?: number | undefined;
  /** A window that takes longer than this is killed (with its process) and fails. */
  timeoutSeconds: number;
  /** Told the pid of each process the session starts (one per task, unless one dies). */
  onProcess?: ((pid: number) => void) | undefined;
}

/** pocketsphinx counts time in frames of 10 ms (its default -frate). */
const FRAMES_PER_SECOND = 100;

/**
 * One task's windows heard by one `pocketsphinx_batch` process: the model is
 * loaded once per task instead of once per window (bench/pocketsphinxBatch.ts:
 * 0.87× the wall time on a 5-window file, with batch's own silence removal,
 * which shifts the words' times; with it off, as here, bench/pocketsphinx.ts
 * measured 1.01× one process per window, so the session is opt-in). The process reads its control
 * list from a FIFO, one line per window as the engine reaches it, and writes
 * each window's words (`-hypseg`) to another FIFO as soon as it has decoded
 * it: each window is its own utterance, its lead-in trimmed and dithered as
 * on the per-window path (pocketsphinx.ts), so its words stay its own. The
 * model's `-cmn batch` (feat.params) and the front end's noise estimate start
 * afresh with every utterance.
 *
 * An abort, a time-out or a close kills the process group; a process that
 * dies fails the window it was hearing, and the next window starts a new one.
 */
export class PocketsphinxSession implements RecognizerSession {
  private process: BatchProcess | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private windows = 0;
  private closed = false;
  private reported: BatchProcess | null = null;

  constructor(private readonly options: PocketsphinxSessionOptions) {}

  recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    // One window at a time: the process hears its list in order.
    const result = this.turn.then(() => this.hear(samples, options));
    this.turn = result.catch(() => {});
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Killed first: a window still being heard (after an abort's grace) fails at once rather than waits.
    await this.stopProcess();
    await this.turn;
  }

  private async hear(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    throwIfAborted(options.signal);
    if (this.closed) throw new EngineFailed('The pocketsphinx session is closed');
    const { heard, offset } = windowToHear(samples);
    this.process ??= await BatchProcess.start(this.options);
    const process = this.process;
    if (process.pid !== undefined && this.reported !== process) {
      this.reported = process;
      this.options.onProcess?.(process.pid);
    }
    const name = `w${this.windows++}`;
    const wav = join(process.folder, `${name}.wav`);
    try {
      await writeFile(wav, encodeWav(heard));
      const words = await process.hear(name, options.signal, this.options.timeoutSeconds * 1000);
      options.onProgress?.(1);
      return windowSegments(words, offset, this.options.pauseSeconds);
    } finally {
      await rm(wav, { force: true });
      // A process that ended (killed, crashed) is not used again: the next window starts another.
      if (process.ended) await this.stopProcess();
    }
  }

  private async stopProcess(): Promise<void> {
    const process = this.process;
    this.process = null;
    await process?.stop();
  }
}

interface Pending {
  name: string;
  resolve(words: TimedWord[]): void;
  reject(error: Error): void;
}

/** One running `pocketsphinx_batch`, its two FIFOs and its folder of window files. */
class BatchProcess {
  ended = false;
  pid: number | undefined;
  private pending: Pending | null = null;
  /** The ERROR and FATAL lines logged since the last window heard: the first says why. */
  private errors: string[] = [];
  private partialLine = '';
  private exit: GroupRunResult | Error | null = null;
  private readonly stopper = new AbortController();
  private readonly exited: Promise<GroupRunResult | Error>;

  private constructor(
    readonly folder: string,
    private readonly control: FileHandle,
    private readonly hypotheses: Socket,
    options: PocketsphinxSessionOptions,
    hypPath: string,
    controlPath: string,
  ) {
    const args = [
      '-adcin',
      'yes',
      '-adchdr',
      '44',
      '-cepdir',
      folder,
      '-cepext',
      '.wav',
      '-ctl',
      controlPath,
      '-hypseg',
      hypPath,
      // Its voice detection drops silent frames and counts time without them: the words after a
      // pause would come out early. The engine has already skipped the windows with no voice.
      '-remove_silence',
      'no',
      ...modelArgs(options.modelDir),
    ];
    // No -logfn: the log comes on stderr, where a failed window's reason is read as it is written.
    const run = runInProcessGroup(options.binary, args, {
      signal: this.stopper.signal,
      label: 'pocketsphinx',
      onStderrLine: (line) => this.onLog(line),
      onSpawn: (pid) => {
        this.pid = pid;
      },
      maxStdoutBytes: 1 << 20,
    });
    this.exited = run.then(
      (result) => result,
      (error: Error) => error,
    );
    void this.exited.then((outcome) => this.onExit(outcome));
    hypotheses.on('data', (chunk: Buffer) => this.onOutput(chunk));
    // The FIFO is ours for reading and writing, so it never ends; an error only comes with its process's end.
    hypotheses.on('error', () => {});
  }

  static async start(options: PocketsphinxSessionOptions): Promise<BatchProcess> {
    const folder = await makeWindowFolder();
    const controlPath = join(folder, 'control.fifo');
    const hypPath = join(folder, 'hypotheses.fifo');
    try {
      await promisify(execFile)('mkfifo', [controlPath, hypPath]);
      // Both ends opened read-write: neither open waits for the other side, and
      // neither side sees an end of file while the session lives.
      const readWrite = constants.O_RDWR | constants.O_NONBLOCK;
      const control = await open(controlPath, readWrite);
      // A plain descriptor, not a FileHandle (which would close it when collected): the socket owns it.
      const hypFd = await promisify(openFd)(hypPath, readWrite);
      const hypotheses = new Socket({ fd: hypFd, readable: true, writable: false });
      const process = new BatchProcess(folder, control, hypotheses, options, hypPath, controlPath);
      // A program that cannot be started at all fails at once, not at the window's time-out.
      await process.started();
      return process;
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  /** The pid once spawned, or the spawn's own error (program not found). */
  private async started(): Promise<void> {
    const outcome = await Promise.race([
      this.exited,
      new Promise<null>((resolve) => setImmediate(resolve, null)),
    ]);
    if (outcome instanceof Error) throw outcome;
  }

  /** Decodes the window file `<name>.wav`, resolving with its words once pocketsphinx has written them. */
  hear(name: string, signal: AbortSignal, timeoutMs: number): Promise<TimedWord[]> {
    if (this.ended) return Promise.reject(this.endedError());
    return new Promise<TimedWord[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => void this.failWith(abortedError(signal));
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.pending = null;
      };
      this.pending = {
        name,
        resolve: (words) => {
          done();
          resolve(words);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(
        () =>
          void this.failWith(new EngineFailed(`pocketsphinx timed out after ${timeoutMs} ms on a window`)),
        timeoutMs,
      );
      this.control.write(`${name}\n`).catch((error: Error) => {
        this.pending?.reject(
          new EngineFailed(`pocketsphinx could not be given the window: ${error.message}`),
        );
      });
    });
  }

  /** Kills the process, then fails the window it was hearing with `error` (once the process is gone). */
  private async failWith(error: Error): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    await this.stop();
    pending?.reject(error);
  }

  /** Kills the process group and frees the FIFOs and the folder; resolves once the process is gone. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.exited;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(closedWhileHearing());
    this.hypotheses.destroy();
    await this.control.close().catch(() => {});
    await rm(this.folder, { recursive: true, force: true });
  }

  private onOutput(chunk: Buffer): void {
    const lines = (this.partialLine + chunk.toString('utf8')).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const [name] = line.split(' ', 1);
      if (this.pending && name === this.pending.name) {
        this.errors = [];
        this.pending.resolve(parseHypseg(line));
      }
    }
  }

  private onLog(line: string): void {
    if (/^(ERROR|FATAL)/.test(line) && this.errors.length < 20) this.errors.push(line.trim());
    // batch.c's own errors mean it skipped the window (it could not open or read its file) and went on.
    if (this.pending && /^ERROR: "batch\.c"/.test(line)) {
      this.pending.reject(new EngineFailed(`pocketsphinx could not hear the window: ${line.trim()}`));
    }
  }

  private onExit(outcome: GroupRunResult | Error): void {
    this.ended = true;
    this.exit = outcome;
    if (this.stopper.signal.aborted) return;
    this.pending?.reject(this.endedError());
  }

  private endedError(): Error {
    // Stopped by its session (closed, or a window's abort): a window handed over after that is told so,
    // not given the stop's own abort reason, whichever of the two got there first.
    if (this.stopper.signal.aborted) return closedWhileHearing();
    const result = this.exit;
    if (result instanceof Error) return result;
    const how =
      result === null
        ? 'it had stopped'
        : result.code === null
          ? `killed by ${result.signal}`
          : `exit code ${result.code}`;
    return new EngineFailed(
      `pocketsphinx failed (${how}) while hearing a window: ${this.errors[0] ?? 'no error was logged'}`,
    );
  }
}

/**
 * A `-hypseg` line: `name S score T total A acoustic L language`, then for
 * each word its first frame, two scores and the word, and last the final
 * frame. A word ends the frame before the next one starts.
 */
export function parseHypseg(line: string): TimedWord[] {
  const fields = line.trim().split(/\s+/).slice(9);
  const words: TimedWord[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const start = Number(fields[i]);
    const next = Number(fields[i + 4]);
    const word = fields[i + 3] ?? '';
    if (!Number.isFinite(start) || !Number.isFinite(next)) break;
    words.push({
      word,
      start: start / FRAMES_PER_SECOND,
      end: Math.max(start, next - 1) / FRAMES_PER_SECOND,
    });
  }
  return words;
}

function closedWhileHearing(): EngineFailed {
  return new EngineFailed('The pocketsphinx session was closed while it heard a window');
}
