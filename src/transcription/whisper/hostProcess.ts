import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostMessage, RawSegment, RecognizeRequest } from './protocol.js';
import type { WhisperRuntime } from './whisperRuntime.js';

export interface HostReady {
  loadMs: number;
  multilingual: boolean;
  /** The model's own encoder context, in 20 ms positions. */
  audioCtx: number;
}

export interface HostResult {
  text: string;
  segments: RawSegment[];
  language: string | null;
  inferenceMs: number;
  audioCtx: number;
  /** The initial prompt the kept decode ran with ('' for none). */
  prompt: string;
  rssBytes: number;
}

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the host wrote to stderr (whisper.cpp and ggml complain there before a crash). */
  stderr: string;
}

/** Why a request did not get a result. */
export class HostRequestFailed extends Error {
  constructor(
    message: string,
    /** Set when the host process died rather than reporting an error. */
    readonly exit?: HostExit,
  ) {
    super(message);
    this.name = 'HostRequestFailed';
  }
}

const STDERR_TAIL = 4096;

/**
 * One whisper host child process (host.ts) holding one loaded model. Knows how
 * to start it, wait for the model, run a request, and kill it; the policy
 * (when to start, reuse, abort or free it) is WhisperRecognizer's.
 */
export class HostProcess {
  readonly ready: Promise<HostReady>;
  readonly exited: Promise<HostExit>;
  private readonly child: ChildProcess;
  private readonly link: HostLink;
  private stderrTail = '';
  private nextId = 1;
  private pending: {
    id: number;
    resolve: (result: HostResult) => void;
    reject: (error: Error) => void;
    onProgress: (percent: number) => void;
    onStarted: () => void;
  } | null = null;

  constructor(modelPath: string, runtime: WhisperRuntime = { kind: 'binding' }) {
    this.link = runtime.kind === 'native' ? nativeLink(runtime.binary, modelPath) : bindingLink(modelPath);
    this.child = this.link.child;
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        // The process is reaped (its pid is free); let stderr's last words arrive too. Not 'close':
        // Node 20 never emits it for a child whose IPC channel the parent disconnected.
        const done = () => resolve({ code, signal, stderr: this.stderrTail });
        const stderr = this.child.stderr;
        if (!stderr || stderr.destroyed) done();
        else stderr.once('close', done);
      });
      this.child.on('error', (error) => {
        // Could not start at all, so there will be no 'exit'; later errors are followed by one.
        if (this.child.pid === undefined) resolve({ code: null, signal: null, stderr: String(error) });
      });
    });
    this.ready = new Promise((resolve, reject) => {
      this.link.onMessage((message) => {
        if (message.type === 'ready')
          resolve({ loadMs: message.loadMs, multilingual: message.multilingual, audioCtx: message.audioCtx });
        else if (message.type === 'loadFailed') reject(new HostRequestFailed(message.message));
        else this.onRequestMessage(message);
      });
      void this.exited.then((exit) => {
        reject(
          new HostRequestFailed(`the whisper host exited before loading the model (${describe(exit)})`, exit),
        );
        this.pending?.reject(new HostRequestFailed(`the whisper host exited (${describe(exit)})`, exit));
        this.pending = null;
      });
    });
    // A failed load is reported to whoever awaits `ready`; this only keeps it from being "unhandled".
    this.ready.catch(() => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Transcribes one window. Only one request at a time. */
  request(
    samples: Float32Array,
    options: {
      language: string;
      translate: boolean;
      threads: number;
      audioCtx: number;
      /** The previous window's text, whisper's initial prompt, and the language it was heard in (none when absent). */
      prompt?: { text: string; language: string | null } | null | undefined;
      onProgress: (percent: number) => void;
      onStarted: () => void;
    },
  ): Promise<HostResult> {
    if (this.pending) return Promise.reject(new Error('the whisper host is already busy'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject, onProgress: options.onProgress, onStarted: options.onStarted };
      const message: RecognizeRequest = {
        type: 'recognize',
        id,
        samples,
        language: options.language,
        translate: options.translate,
        threads: options.threads,
        audioCtx: options.audioCtx,
        ...(options.prompt ? { prompt: options.prompt.text, promptLanguage: options.prompt.language } : {}),
      };
      this.link.send(message, (error) => {
        if (error)
          this.settle(id, () => reject(new HostRequestFailed(`could not reach the whisper host: ${error}`)));
      });
    });
  }

  /** Ends the process at once, whatever it is doing, and waits until it is gone (reaped, so its pid is free). */
  async kill(): Promise<HostExit> {
    // Whoever awaits the exit must not see this process quit first for want of anything to wait on.
    this.setKeepsProcessAlive(true);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Asks an idle host to exit by closing its channel; it frees the model as it goes. */
  async stop(): Promise<HostExit> {
    this.setKeepsProcessAlive(true);
    this.link.close();
    return this.exited;
  }

  /**
   * While idle, the host must not keep a finished parent (a CLI run, a test)
   * alive; while it works, it must.
   */
  setKeepsProcessAlive(keep: boolean): void {
    for (const handle of this.link.handles()) {
      if (keep) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  private onRequestMessage(message: HostMessage): void {
    const pending = this.pending;
    if (!pending || !('id' in message) || message.id !== pending.id) return;
    if (message.type === 'started') pending.onStarted();
    else if (message.type === 'progress') pending.onProgress(message.percent);
    else if (message.type === 'result') this.settle(pending.id, () => pending.resolve(message));
    else if (message.type === 'failed')
      this.settle(pending.id, () => pending.reject(new HostRequestFailed(message.message)));
  }

  private settle(id: number, finish: () => void): void {
    if (this.pending?.id !== id) return;
    this.pending = null;
    finish();
  }
}

function describe(exit: HostExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
  const said = exit.stderr.trim().split('\n').slice(-3).join(' | ');
  return said ? `${how}: ${said}` : how;
}

type Handle = { ref?: () => void; unref?: () => void } | null | undefined;

/** How HostProcess talks to its child, whichever program hosts the model. */
interface HostLink {
  child: ChildProcess;
  send(message: RecognizeRequest, done: (error: Error | null | undefined) => void): void;
  onMessage(listener: (message: HostMessage) => void): void;
  /** Asks the host to exit once idle (it frees the model as it goes). */
  close(): void;
  /** What keeps this process alive while the host works. */
  handles(): Handle[];
}

/** host.ts in a Node child, over Node's IPC channel (the samples travel as a Float32Array). */
function bindingLink(modelPath: string): HostLink {
  const { entry, execArgv } = hostEntry();
  const child = fork(entry, [modelPath], {
    serialization: 'advanced',
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return {
    child,
    send: (message, done) => child.send(message, done),
    onMessage: (listener) => child.on('message', listener),
    close: () => {
      if (child.connected) child.disconnect();
    },
    handles: () => [child, child.channel, child.stderr as Handle],
  };
}

/**
 * hark-whisper (native/hark-whisper.cpp): a JSON line per message on its stdout; each request a
 * JSON line on its stdin, then the window's samples as raw float32 (this machine's byte order,
 * which is the host's too).
 */
function nativeLink(binary: string, modelPath: string): HostLink {
  const child = spawn(binary, [modelPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const { stdin, stdout } = child;
  // A host that died mid-write: its exit reports the failure, so the broken pipe need not.
  stdin.on('error', () => {});
  const lines = createInterface({ input: stdout, crlfDelay: Number.POSITIVE_INFINITY });
  return {
    child,
    send: ({ samples, ...header }, done) => {
      const line = `${JSON.stringify({ ...header, samples: samples.length })}\n`;
      stdin.write(line);
      stdin.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength), done);
    },
    onMessage: (listener) =>
      lines.on('line', (line) => {
        const message = parsedMessage(line);
        if (message) listener(message);
      }),
    close: () => stdin.end(),
    handles: () => [child, stdin as Handle, stdout as Handle, child.stderr as Handle],
  };
}

/** A line of hark-whisper's stdout as a message; null for anything else (whisper.cpp logs to stderr, so nothing is lost). */
function parsedMessage(line: string): HostMessage | null {
  try {
    return JSON.parse(line) as HostMessage;
  } catch {
    return null;
  }
}

/**
 * host.ts beside this file. Built to dist/ it is plain JavaScript; run from
 * the TypeScript sources (tests, `npm run hark`) it needs tsx, as this process has.
 */
function hostEntry(): { entry: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? './host.ts' : './host.js', import.meta.url));
  const execArgv = ['--expose-gc'];
  if (!fromSource) return { entry, execArgv };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { entry, execArgv: [...execArgv, '--import', pathToFileURL(tsx).href] };
}
