import { appendFileSync } from 'node:fs';
import type { TranscribeOptions, TranscriptionEngine } from '../core/engine.js';
import type { Transcript } from '../core/types.js';

/**
 * Wraps any engine and appends one JSON line per call, per committed chunk
 * and per finished file to a log ($HARK_ENGINE_LOG), the same lines the fake
 * engine writes. The crash soak counts them across restarts: a file must be
 * finished exactly once, and a kill may repeat at most the chunk in flight
 * (tests/soak/engineLogAudit.ts says precisely what counts as done twice).
 */
export class LoggingEngine implements TranscriptionEngine {
  readonly name: string;

  constructor(
    private readonly inner: TranscriptionEngine,
    private readonly logFile: string,
  ) {
    this.name = inner.name;
  }

  get concurrency(): number {
    return this.inner.concurrency ?? 1;
  }

  probeDuration(audioPath: string): Promise<number | null> {
    return this.inner.probeDuration?.(audioPath) ?? Promise.resolve(null);
  }

  async transcribe(audioPath: string, options: TranscribeOptions): Promise<Transcript> {
    // A call without onChunk (a recording transcribed in the foreground) commits no checkpoints:
    // its chunk lines say what was heard, not what was committed.
    const checkpointed = options.onChunk !== undefined;
    this.log({ event: 'start', file: audioPath, startAt: options.startAt ?? 0, checkpointed });
    const result = await this.inner.transcribe(audioPath, {
      ...options,
      onChunk: async (chunk) => {
        await options.onChunk?.(chunk);
        this.log({ event: 'chunk', file: audioPath, index: chunk.index, end: chunk.end });
      },
    });
    this.log({ event: 'done', file: audioPath, startAt: options.startAt ?? 0 });
    return result;
  }

  prewarm(): Promise<void> {
    return this.inner.prewarm?.() ?? Promise.resolve();
  }

  async keepLoaded(): Promise<() => void> {
    return (await this.inner.keepLoaded?.()) ?? (() => {});
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }

  private log(entry: Record<string, unknown>): void {
    appendFileSync(this.logFile, `${JSON.stringify({ ...entry, pid: process.pid })}\n`);
  }
}
