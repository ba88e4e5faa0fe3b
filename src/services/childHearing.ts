import type { Segment } from '../core/types.js';
import type { ChunkRecognizer, RecognizeOptions, RecognizerSession } from '../transcription/recognizer.js';

/** Told when a recogniser's child process starts (true) and stops (false) hearing a window. */
export type HearingListener = (hearing: boolean) => Promise<void>;

/**
 * Wraps a recogniser that hears every window in a child process (pocketsphinx
 * and command recognisers start one per window, or pocketsphinx one per task
 * with oneProcessPerTask; whisper keeps a host process)
 * and reports when it is in there. While it is, the file's bytes are only in
 * that child: if the file kills anything, it kills the child, which Hark
 * survives and records as an engine failure. So a death of Hark itself in that
 * time came from outside, and the queue does not count it against the file.
 * In-process engines (the fake one) are never wrapped: a death in them is blamed.
 */
export class ChildHearingRecognizer implements ChunkRecognizer {
  readonly name: string;

  constructor(
    private readonly inner: ChunkRecognizer,
    private readonly onHearing: HearingListener,
  ) {
    this.name = inner.name;
    this.concurrency = inner.concurrency ?? 1;
    const open = inner.openSession?.bind(inner);
    // Only a recogniser with sessions gets them: ChunkedEngine asks whether openSession is there.
    if (open) this.openSession = () => this.hearingSession(open());
  }

  readonly concurrency: number;
  readonly openSession?: () => RecognizerSession | null;

  recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    return this.hearing(() => this.inner.recognize(samples, options));
  }

  private async hearing(recognize: () => Promise<Segment[]>): Promise<Segment[]> {
    await this.onHearing(true);
    try {
      return await recognize();
    } finally {
      // Cleared before the window is committed: a death in the commit (Hark's own code) is blamed.
      await this.onHearing(false);
    }
  }

  private hearingSession(session: RecognizerSession | null): RecognizerSession | null {
    if (session === null) return null;
    return {
      recognize: (samples, options) => this.hearing(() => session.recognize(samples, options)),
      close: () => session.close(),
    };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }

  prewarm(): Promise<void> {
    return this.inner.prewarm?.() ?? Promise.resolve();
  }

  async keepLoaded(): Promise<() => void> {
    return (await this.inner.keepLoaded?.()) ?? (() => {});
  }
}
