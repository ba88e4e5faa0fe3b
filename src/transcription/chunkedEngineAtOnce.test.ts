import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazySuiteDir } from '../../tests/helpers/audioFiles.js';
import { concatenate, SENTENCES, speak } from '../../tests/helpers/speech.js';
import type { ChunkResult } from '../core/engine.js';
import { Aborted, EngineFailed } from '../core/errors.js';
import type { Segment } from '../core/types.js';
import { abortableDelay } from './abortable.js';
import { ChunkedEngine } from './chunkedEngine.js';
import { HearingNow } from './heardInOrder.js';
import type { ChunkRecognizer, RecognizeOptions } from './recognizer.js';

/**
 * When window 0 ends: once window 1 has been heard (so the windows end out of order), at once, or
 * only when aborted.
 */
type FirstWindow = 'after the second' | 'at once' | 'when aborted';

/**
 * A recogniser that takes any number of calls at once, as pocketsphinx does (a process per call),
 * and says what it was given. Window 0 ends as `first` says; `failAt` fails that call.
 */
class SideBySideRecognizer implements ChunkRecognizer {
  readonly name = 'side-by-side';
  readonly concurrency = Number.POSITIVE_INFINITY;
  readonly prompts: (string | undefined)[] = [];
  running = 0;
  mostAtOnce = 0;
  endedOrder: number[] = [];
  private secondHeard: (() => void) | null = null;
  private readonly firstMayEnd: Promise<void>;

  constructor({
    first = 'after the second',
    failAt = null,
  }: { first?: FirstWindow; failAt?: number | null } = {}) {
    this.failAt = failAt;
    this.firstMayEnd =
      first === 'at once'
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            if (first === 'after the second') this.secondHeard = resolve;
          });
  }

  private readonly failAt: number | null;

  async recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    const call = this.prompts.length;
    this.prompts.push(options.prompt?.text);
    this.enter();
    try {
      if (call === 0) await Promise.race([this.firstMayEnd, abortableDelay(60_000, options.signal)]);
      // Every other window takes a turn of the event loop, so window 0 is still held when it ends.
      else await abortableDelay(call === 1 ? 0 : 1, options.signal);
      if (call === this.failAt) throw new EngineFailed(`window ${call} could not be heard`);
      return [{ start: 0.1, end: Math.min(1, samples.length / 16000), text: `window ${call}` }];
    } finally {
      this.leave(call);
    }
  }

  private enter(): void {
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
  }

  private leave(call: number): void {
    this.running--;
    this.endedOrder.push(call);
    if (call === 1) this.secondHeard?.();
  }

  async dispose(): Promise<void> {}
}

const folder = lazySuiteDir('hark-at-once-');
let speech: string;

beforeAll(() => {
  const sentences = SENTENCES.slice(0, 6).map((text, i) => speak(text, join(folder.path, `s${i}.wav`)));
  speech = concatenate(sentences, join(folder.path, 'speech.wav'));
});
afterAll(() => folder.remove());

function transcribe(engine: ChunkedEngine, signal = new AbortController().signal) {
  const chunks: ChunkResult[] = [];
  const promise = engine.transcribe(speech, {
    signal,
    onChunk: (chunk) => {
      chunks.push(chunk);
    },
  });
  return { promise, chunks };
}

describe('ChunkedEngine hearing a file’s windows side by side', () => {
  it('hears two at once on two cores and commits them in order, with the text of one at a time', async () => {
    const recognizer = new SideBySideRecognizer();
    const engine = new ChunkedEngine(recognizer, { windowSeconds: 6, hearing: new HearingNow(2) });
    const { promise, chunks } = transcribe(engine);
    const transcript = await promise;

    expect(recognizer.mostAtOnce).toBe(2);
    expect(recognizer.endedOrder.slice(0, 2)).toEqual([1, 0]); // window 1 was heard first…
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i)); // …and committed second
    chunks.forEach((chunk, i) => {
      if (i > 0) expect(chunk.start).toBe(chunks[i - 1]?.end);
      expect(chunk.segments.map((segment) => segment.text)).toEqual([`window ${i}`]);
    });
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(transcript.text).toBe(chunks.map((_, i) => `window ${i}`).join(' '));
    // Side by side, no window can have the text of the one before as its prompt.
    expect(recognizer.prompts.every((prompt) => prompt === undefined)).toBe(true);

    // One at a time, window 0 cannot wait for window 1: it ends at once.
    const alone = new SideBySideRecognizer({ first: 'at once' });
    const oneByOne = await transcribe(
      new ChunkedEngine(alone, { windowSeconds: 6, hearing: new HearingNow(2), windowsAtOnce: 1 }),
    ).promise;
    expect(alone.mostAtOnce).toBe(1);
    expect(oneByOne.segments).toEqual(transcript.segments);
  });

  it('hears one at a time on one core', async () => {
    const recognizer = new SideBySideRecognizer({ first: 'at once' });
    await transcribe(new ChunkedEngine(recognizer, { windowSeconds: 6, hearing: new HearingNow(1) })).promise;
    expect(recognizer.mostAtOnce).toBe(1);
  });

  it('hears no window ahead while the process already hears as many windows as it has cores', async () => {
    const hearing = new HearingNow(2);
    const otherTask = hearing.begin(); // another task's window holds the second core
    const crowded = new SideBySideRecognizer({ first: 'at once' });
    await transcribe(new ChunkedEngine(crowded, { windowSeconds: 6, hearing })).promise;
    expect(crowded.mostAtOnce).toBe(1);
    expect(hearing.windows).toBe(1);

    otherTask();
    const free = new SideBySideRecognizer();
    await transcribe(new ChunkedEngine(free, { windowSeconds: 6, hearing })).promise;
    expect(free.mostAtOnce).toBe(2);
    expect(hearing.windows).toBe(0);
  });

  it('a later window’s failure fails the file after the window before it is committed', async () => {
    const recognizer = new SideBySideRecognizer({ failAt: 1 });
    const { promise, chunks } = transcribe(
      new ChunkedEngine(recognizer, { windowSeconds: 6, hearing: new HearingNow(2) }),
    );
    await expect(promise).rejects.toThrow('window 1 could not be heard');
    expect(chunks.map((chunk) => chunk.index)).toEqual([0]);
    expect(recognizer.running).toBe(0);
  });

  it('an abort stops every window being heard before the transcription rejects', async () => {
    // Window 0 never ends on its own, so windows are in flight when the abort comes and none is committed.
    const recognizer = new SideBySideRecognizer({ first: 'when aborted' });
    const controller = new AbortController();
    const hearing = new HearingNow(2);
    const { promise, chunks } = transcribe(
      new ChunkedEngine(recognizer, { windowSeconds: 6, hearing }),
      controller.signal,
    );
    while (recognizer.running < 2) await new Promise<void>((turn) => setImmediate(turn));
    controller.abort({ kind: 'preempted', by: 'recording' });
    await expect(promise).rejects.toBeInstanceOf(Aborted);
    expect(recognizer.running).toBe(0);
    expect(chunks).toEqual([]);
    expect(hearing.windows).toBe(0);
  });
});
