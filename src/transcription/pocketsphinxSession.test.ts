import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAll, lazySuiteDir } from '../../tests/helpers/audioFiles.js';
import { descendants, whenGone } from '../../tests/helpers/childProcesses.js';
import { concatenate, SENTENCES, speak, wordErrorRate } from '../../tests/helpers/speech.js';
import type { ChunkResult } from '../core/engine.js';
import { Aborted, EngineFailed } from '../core/errors.js';
import { ChunkedEngine } from './chunkedEngine.js';
import { PocketsphinxRecognizer } from './pocketsphinx.js';
import { parseHypseg } from './pocketsphinxSession.js';
import { dither } from './pocketsphinxWindow.js';

// What pocketsphinx_batch wrote for flite's first sentence (frames of 10 ms).
const HYPSEG =
  's0 S 0 T -8494709 A -8492032 L -2677 0 -148480 0 <s> 20 -276480 -190 the 31 -424960 -618 quick ' +
  '61 -995328 -305 brown 97 -487424 -47 fox 131 -1395712 -134 jumped 267 -956416 -113 </s> 275';

describe('reading pocketsphinx_batch output', () => {
  it('gives each word its first frame and the frame before the next word, in seconds', () => {
    const words = parseHypseg(HYPSEG);
    expect(words.map((w) => w.word)).toEqual(['<s>', 'the', 'quick', 'brown', 'fox', 'jumped', '</s>']);
    expect(words[1]).toEqual({ word: 'the', start: 0.2, end: 0.3 });
    expect(words.at(-1)).toEqual({ word: '</s>', start: 2.67, end: 2.74 });
  });

  it('gives no words for an empty hypothesis', () => {
    expect(parseHypseg('w1 S 0 T 0 A 0 L 0 0')).toEqual([]);
  });
});

describe('dither', () => {
  it('adds one 16-bit step to about a quarter of the samples, the same ones every time', () => {
    const silence = new Float32Array(40_000);
    const once = dither(silence);
    const changed = once.filter((x) => x !== 0);
    expect(changed.length / silence.length).toBeGreaterThan(0.23);
    expect(changed.length / silence.length).toBeLessThan(0.27);
    expect(changed.every((x) => x === 1 / 0x8000)).toBe(true);
    expect(dither(silence)).toEqual(once);
    expect(silence.every((x) => x === 0)).toBe(true);
  });
});

const running = () => descendants().filter((p) => p.command.startsWith('pocketsphinx'));

describe('one pocketsphinx process per task (oneProcessPerTask)', () => {
  it('is off by default: a task hears each window in a process of its own', () => {
    expect(new PocketsphinxRecognizer().openSession()).toBeNull();
  });

  const folder = lazySuiteDir('hark-pocketsphinx-session-');
  let fourSentences: string;
  let reference: string;
  let sentence: Float32Array;

  beforeAll(async () => {
    const spoken = SENTENCES.slice(0, 4).map((text, i) => speak(text, join(folder.path, `s${i}.wav`)));
    fourSentences = concatenate(spoken, join(folder.path, 'four.wav'), 0.8);
    reference = SENTENCES.slice(0, 4).join(' ');
    sentence = await decodeAll(spoken[0] as string);
  });
  afterAll(() => folder.remove());

  /** A file of about 22 s cut into windows of about 8 s: three windows or more. */
  const engineWith = (recognizer: PocketsphinxRecognizer) =>
    new ChunkedEngine(recognizer, { windowSeconds: 8 });

  it('hears every window of a task in one process, with the words of one process per window', async () => {
    const pids: number[] = [];
    const chunks: ChunkResult[] = [];
    const session = await engineWith(
      new PocketsphinxRecognizer({ oneProcessPerTask: true, onSessionProcess: (pid) => pids.push(pid) }),
    ).transcribe(fourSentences, {
      signal: new AbortController().signal,
      onChunk: (chunk) => void chunks.push(chunk),
    });
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(pids).toHaveLength(1);
    expect(await whenGone(pids)).toEqual([]);
    expect(running()).toEqual([]);

    // One process per window, each started ahead (a spare): disposed, so that none is left for the tests below to count.
    const perWindowEngine = engineWith(new PocketsphinxRecognizer());
    const perWindow = await perWindowEngine.transcribe(fourSentences, {
      signal: new AbortController().signal,
    });
    await perWindowEngine.dispose();
    expect(wordErrorRate(reference, session.text)).toBeLessThanOrEqual(0.2);
    expect(wordErrorRate(reference, perWindow.text)).toBeLessThanOrEqual(0.2);
    // pocketsphinx_batch hears a window as one utterance where pocketsphinx_continuous may cut it in two: a word may differ.
    expect(wordErrorRate(perWindow.text, session.text)).toBeLessThanOrEqual(0.1);
    // Each window's words are its own: inside its chunk.
    for (const chunk of chunks) {
      for (const segment of chunk.segments) {
        expect(segment.start).toBeGreaterThanOrEqual(chunk.start - 1e-6);
        expect(segment.end).toBeLessThanOrEqual(chunk.end + 1e-6);
      }
    }
  }, 180_000);

  it('gives the same words for the same window wherever it comes in a session (resuming relies on it)', async () => {
    const pids: number[] = [];
    const recognizer = new PocketsphinxRecognizer({
      oneProcessPerTask: true,
      onSessionProcess: (pid) => pids.push(pid),
    });
    const session = recognizer.openSession();
    if (session === null) throw new Error('pocketsphinx_batch is not installed');
    const signal = new AbortController().signal;
    try {
      const first = await session.recognize(sentence, { signal });
      // A corrupt window (nothing in it) gives nothing and loses none of the others.
      expect(await session.recognize(new Float32Array(0), { signal })).toEqual([]);
      expect(await session.recognize(sentence, { signal })).toEqual(first);
      expect(wordErrorRate(SENTENCES[0], first.map((s) => s.text).join(' '))).toBeLessThanOrEqual(0.25);
      expect(pids).toHaveLength(1);
    } finally {
      await session.close();
    }
    expect(await whenGone(pids)).toEqual([]);
  });

  // Found while building the session: pocketsphinx_batch's voice detection (-remove_silence, on by
  // default) drops the silent frames before decoding and counts frames without them, so a sentence
  // after 8 s of silence came out at 3.5 s instead of 11 s.
  it('gives the words after a long silence inside a window their real time', async () => {
    const window = new Float32Array(2 * sentence.length + 16000 * 8);
    window.set(sentence, 0);
    window.set(sentence, sentence.length + 16000 * 8);
    const second = (sentence.length + 16000 * 8) / 16000;
    const session = new PocketsphinxRecognizer({ oneProcessPerTask: true }).openSession();
    if (session === null) throw new Error('pocketsphinx_batch is not installed');
    try {
      const segments = await session.recognize(window, { signal: new AbortController().signal });
      expect(segments).toHaveLength(2);
      expect(segments[0]?.start).toBeLessThan(1);
      expect(segments[1]?.start).toBeGreaterThanOrEqual(second - 0.1);
      expect(segments[1]?.end).toBeLessThanOrEqual(window.length / 16000);
    } finally {
      await session.close();
    }
  }, 60_000);

  it('kills its process within a second of an abort mid-window and leaves no process behind', async () => {
    const controller = new AbortController();
    const pids: number[] = [];
    let abortedAt = 0;
    const engine = engineWith(
      new PocketsphinxRecognizer({
        oneProcessPerTask: true,
        onSessionProcess: (pid) => {
          pids.push(pid);
          // The process has just started on the first window (loading its model): abort now.
          setImmediate(() => {
            abortedAt = Date.now();
            controller.abort({ kind: 'preempted' });
          });
        },
      }),
    );
    await expect(engine.transcribe(fourSentences, { signal: controller.signal })).rejects.toBeInstanceOf(
      Aborted,
    );
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(pids).toHaveLength(1);
    expect(await whenGone(pids)).toEqual([]);
    expect(running()).toEqual([]);
  });

  it('fails a window still being heard when its session is closed, at once, and leaves no process', async () => {
    const pids: number[] = [];
    let closing: Promise<void> | undefined;
    const recognizer = new PocketsphinxRecognizer({
      oneProcessPerTask: true,
      onSessionProcess: (pid) => {
        pids.push(pid);
        setImmediate(() => {
          closing = session?.close();
        });
      },
    });
    const session = recognizer.openSession();
    const heard = session?.recognize(sentence, { signal: new AbortController().signal });
    await expect(heard).rejects.toThrow(/session was closed while it heard a window/);
    await closing;
    expect(pids).toHaveLength(1);
    expect(await whenGone(pids)).toEqual([]);
  });

  it('ends its process when the task is aborted between windows', async () => {
    const controller = new AbortController();
    const pids: number[] = [];
    const engine = engineWith(
      new PocketsphinxRecognizer({ oneProcessPerTask: true, onSessionProcess: (pid) => pids.push(pid) }),
    );
    const transcription = engine.transcribe(fourSentences, {
      signal: controller.signal,
      onChunk: () => controller.abort({ kind: 'cancelled' }),
    });
    await expect(transcription).rejects.toBeInstanceOf(Aborted);
    expect(pids).toHaveLength(1);
    expect(await whenGone(pids)).toEqual([]);
  });

  it('fails the window whose process is killed, saying so, and the next task gets a new process', async () => {
    const pids: number[] = [];
    const engine = engineWith(
      new PocketsphinxRecognizer({
        oneProcessPerTask: true,
        onSessionProcess: (pid) => {
          pids.push(pid);
          // The first task's process dies for real, mid-window.
          if (pids.length === 1) process.kill(pid, 'SIGKILL');
        },
      }),
    );
    const chunks: ChunkResult[] = [];
    const error = await engine
      .transcribe(fourSentences, {
        signal: new AbortController().signal,
        onChunk: (c) => void chunks.push(c),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailed);
    expect((error as Error).message).toMatch(
      /pocketsphinx failed \(killed by SIGKILL\) while hearing a window/,
    );
    expect(chunks).toEqual([]);

    const next = await engine.transcribe(fourSentences, { signal: new AbortController().signal });
    expect(wordErrorRate(reference, next.text)).toBeLessThanOrEqual(0.2);
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(pids[0]);
    expect(await whenGone(pids)).toEqual([]);
    expect(running()).toEqual([]);
  }, 120_000);

  it('fails with pocketsphinx’s own logged error when its model is missing, and leaves nothing behind', async () => {
    const engine = engineWith(
      new PocketsphinxRecognizer({ oneProcessPerTask: true, modelDir: join(folder.path, 'no-model') }),
    );
    const error = await engine
      .transcribe(fourSentences, { signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailed);
    expect((error as Error).message).toMatch(
      /pocketsphinx failed \(exit code \d+\).*: (ERROR|FATAL).*no-model/,
    );
    expect(running()).toEqual([]);
  });
});
