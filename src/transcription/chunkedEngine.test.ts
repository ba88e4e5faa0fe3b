import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazySuiteDir } from '../../tests/helpers/audioFiles.js';
import { concatenate, SENTENCES, speak, synthesize } from '../../tests/helpers/speech.js';
import type { ChunkResult } from '../core/engine.js';
import { textOfSegments } from '../core/engine.js';
import { Aborted, EngineFailed, FileMissing, UnreadableAudio } from '../core/errors.js';
import type { Checkpoint } from '../core/store.js';
import type { Segment } from '../core/types.js';
import { PROMPT_CAP_CHARS, promptFor, type WindowPrompt } from '../core/windowPrompt.js';
import { checkpointOf, chunkJson } from '../db/chunkRow.js';
import { abortableDelay } from './abortable.js';
import { ChunkedEngine } from './chunkedEngine.js';
import type { ChunkRecognizer, RecognizeOptions, RecognizerSession } from './recognizer.js';

/** A recogniser that says what it was given, so the engine's bookkeeping can be checked exactly. */
class ScriptedRecognizer implements ChunkRecognizer {
  readonly name = 'scripted';
  calls: number[] = [];
  disposed = 0;

  constructor(
    private readonly respond: (
      call: number,
      seconds: number,
      options: RecognizeOptions,
    ) => Promise<Segment[]> = async (call, seconds) => [
      { start: 0.25, end: Math.min(seconds, 1), text: `window ${call}` },
    ],
  ) {}

  recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    this.calls.push(samples.length / 16000);
    return this.respond(this.calls.length - 1, samples.length / 16000, options);
  }

  async dispose(): Promise<void> {
    this.disposed++;
  }
}

const folder = lazySuiteDir('hark-chunked-');
const file = (name: string) => join(folder.path, name);
let speech: string;
let silence: string;
let long: string;

beforeAll(() => {
  const sentences = SENTENCES.slice(0, 4).map((text, i) => speak(text, file(`s${i}.wav`)));
  speech = concatenate(sentences, file('speech.wav'));
  silence = synthesize('anullsrc=r=16000:cl=mono', 12, file('silence.wav'));
  long = concatenate(
    SENTENCES.map((text, i) => speak(text, file(`l${i}.wav`))),
    file('long.wav'),
  );
});
afterAll(() => folder.remove());

function run(
  engine: ChunkedEngine,
  path: string,
  extra: {
    startAt?: number;
    firstChunkIndex?: number;
    prompt?: WindowPrompt | null | undefined;
    languages?: readonly string[] | undefined;
  } = {},
) {
  const chunks: ChunkResult[] = [];
  const progress: number[] = [];
  const promise = engine.transcribe(path, {
    signal: new AbortController().signal,
    onProgress: (p) => progress.push(p),
    onChunk: (chunk) => {
      chunks.push(chunk);
    },
    ...extra,
  });
  return { promise, chunks, progress };
}

describe('ChunkedEngine', () => {
  it('is named after its recogniser and disposes it', async () => {
    const recognizer = new ScriptedRecognizer();
    const engine = new ChunkedEngine(recognizer);
    expect(engine.name).toBe('scripted');
    await engine.dispose();
    expect(recognizer.disposed).toBe(1);
  });

  it('puts each window’s segments on the file’s timeline and joins their text', async () => {
    const engine = new ChunkedEngine(new ScriptedRecognizer(), { windowSeconds: 6 });
    const { promise, chunks } = run(engine, speech);
    const transcript = await promise;
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    chunks.forEach((chunk, i) => {
      expect(chunk.index).toBe(i);
      expect(chunk.segments).toEqual([
        { start: chunk.start + 0.25, end: chunk.start + 1, text: `window ${i}` },
      ]);
      if (i > 0) expect(chunk.start).toBe(chunks[i - 1]?.end);
    });
    expect(chunks[0]?.start).toBe(0);
    expect(chunks.at(-1)?.end).toBeCloseTo(transcript.duration, 1);
    expect(transcript.text).toBe(chunks.map((_, i) => `window ${i}`).join(' '));
    expect(transcript.segments).toEqual(chunks.flatMap((chunk) => chunk.segments));
  });

  it('moves the recogniser’s word times onto the file’s timeline with their segment, kept inside the window', async () => {
    const recognizer = new ScriptedRecognizer(async (call) => [
      {
        start: 0.25,
        end: 1,
        text: `window ${call}`,
        words: [
          { start: 0.25, end: 0.5, text: ' window' },
          { start: 0.5, end: 99, text: ` ${call}` },
        ],
      },
    ]);
    const engine = new ChunkedEngine(recognizer, { windowSeconds: 6 });
    const { promise, chunks } = run(engine, speech);
    await promise;
    const second = chunks[1];
    if (!second) throw new Error('one window only');
    expect(second.segments[0]?.words).toEqual([
      { start: second.start + 0.25, end: second.start + 0.5, text: ' window' },
      { start: second.start + 0.5, end: second.end, text: ' 1' },
    ]);
  });

  it('reports progress over the whole file, rising, ending at 1, with the recogniser’s own progress blended in', async () => {
    const recognizer = new ScriptedRecognizer(async (_call, seconds, options) => {
      options.onProgress?.(0.5);
      return [{ start: 0, end: seconds, text: 'x' }];
    });
    const { promise, chunks, progress } = run(new ChunkedEngine(recognizer, { windowSeconds: 6 }), speech);
    const { duration } = await promise;
    expect(progress.at(-1)).toBe(1);
    expect(progress.slice(1).every((p, i) => p > (progress[i] ?? 1))).toBe(true);
    const first = chunks[0];
    expect(progress).toContainEqual(expect.closeTo((first?.end ?? 0) / 2 / duration, 3));
    expect(chunks.at(-1)?.progress).toBe(1);
  });

  it('resumes at startAt: first progress is the part already done, chunks continue from firstChunkIndex', async () => {
    const { promise, chunks, progress } = run(
      new ChunkedEngine(new ScriptedRecognizer(), { windowSeconds: 6 }),
      speech,
      {
        startAt: 6,
        firstChunkIndex: 4,
      },
    );
    const transcript = await promise;
    expect(progress[0]).toBeCloseTo(6 / transcript.duration, 6);
    expect(chunks[0]).toMatchObject({ index: 4, start: 6 });
    expect(transcript.segments.every((segment) => segment.start >= 6)).toBe(true);
  });

  it('never calls the recogniser for silence, and returns an empty transcript', async () => {
    const recognizer = new ScriptedRecognizer();
    const { promise, chunks, progress } = run(new ChunkedEngine(recognizer, { windowSeconds: 5 }), silence);
    const transcript = await promise;
    expect(recognizer.calls).toEqual([]);
    expect(transcript).toMatchObject({ text: '', segments: [] });
    expect(transcript.duration).toBeCloseTo(12, 1);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toBe(1);
  });

  it('drops segments that only label non-speech, keeping real words', async () => {
    const recognizer = new ScriptedRecognizer(async () => [
      { start: 0, end: 1, text: ' [BLANK_AUDIO]' },
      { start: 1, end: 2, text: '(music)' },
      { start: 2, end: 3, text: ' Hello there. ' },
      { start: 3, end: 4, text: '[NOISE] ♪' },
    ]);
    const transcript = await new ChunkedEngine(recognizer, { windowSeconds: 30 }).transcribe(speech, {
      signal: new AbortController().signal,
    });
    expect(transcript.segments).toEqual([{ start: 2, end: 3, text: 'Hello there.' }]);
    expect(transcript.text).toBe('Hello there.');
  });

  it('waits for onChunk before starting the next window', async () => {
    const events: string[] = [];
    const recognizer = new ScriptedRecognizer(async (call) => {
      events.push(`recognise ${call}`);
      return [];
    });
    await new ChunkedEngine(recognizer, { windowSeconds: 6 }).transcribe(speech, {
      signal: new AbortController().signal,
      onChunk: async (chunk) => {
        events.push(`chunk ${chunk.index} started`);
        await abortableDelay(20, new AbortController().signal);
        events.push(`chunk ${chunk.index} committed`);
      },
    });
    const expected = recognizer.calls.flatMap((_, i) => [
      `recognise ${i}`,
      `chunk ${i} started`,
      `chunk ${i} committed`,
    ]);
    expect(events).toEqual(expected);
  });

  it('rejects with Aborted within the grace period even when the recogniser ignores the signal', async () => {
    let called: () => void = () => {};
    const recognizerCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    let release: () => void = () => {};
    const recognizer = new ScriptedRecognizer(() => {
      called();
      return new Promise((resolve) => {
        release = () => resolve([]);
      });
    });
    const controller = new AbortController();
    const engine = new ChunkedEngine(recognizer, { windowSeconds: 6, abortGraceMs: 100 });
    const promise = engine.transcribe(speech, { signal: controller.signal });
    await recognizerCalled;
    const abortedAt = Date.now();
    controller.abort({ kind: 'preempted', by: 'recording' });
    await expect(promise).rejects.toMatchObject({
      name: 'Aborted',
      reason: { kind: 'preempted', by: 'recording' },
    });
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    release();
  });

  it('rejects with Aborted at once when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const recognizer = new ScriptedRecognizer();
    await expect(
      new ChunkedEngine(recognizer).transcribe(speech, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(Aborted);
    expect(recognizer.calls).toEqual([]);
  });

  it('turns a recogniser’s unnamed error into EngineFailed', async () => {
    const recognizer = new ScriptedRecognizer(async () => {
      throw new Error('model file is corrupt');
    });
    const error = await new ChunkedEngine(recognizer)
      .transcribe(speech, { signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailed);
    expect((error as Error).message).toMatch(/model file is corrupt/);
  });

  it('passes an error thrown by onChunk on unchanged', async () => {
    const committing = new Error('database is locked');
    const error = await new ChunkedEngine(new ScriptedRecognizer(), { windowSeconds: 6 })
      .transcribe(speech, {
        signal: new AbortController().signal,
        onChunk: () => {
          throw committing;
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBe(committing);
  });

  it('passes on FileMissing and UnreadableAudio without calling the recogniser', async () => {
    const recognizer = new ScriptedRecognizer();
    const engine = new ChunkedEngine(recognizer);
    const signal = new AbortController().signal;
    await expect(engine.transcribe(file('missing.wav'), { signal })).rejects.toBeInstanceOf(FileMissing);
    await expect(engine.transcribe(folder.path, { signal })).rejects.toBeInstanceOf(UnreadableAudio);
    expect(recognizer.calls).toEqual([]);
  });
});

describe('ChunkedEngine and the language', () => {
  it('stores the language the recogniser heard most, over the one it was configured with', async () => {
    const heard = ['de', 'de', 'fr'];
    const recognizer = new ScriptedRecognizer(async (call, seconds, options) => {
      options.onLanguage?.(heard[call % heard.length] ?? 'en');
      return [{ start: 0, end: Math.min(seconds, 1), text: `window ${call}` }];
    });
    const engine = new ChunkedEngine(recognizer, { language: 'en', windowSeconds: 6 });
    const transcript = await run(engine, speech).promise;
    expect(recognizer.calls.length).toBeGreaterThan(1);
    expect(transcript.language).toBe('de');
  });

  it('keeps the configured language when the recogniser says none', async () => {
    const transcript = await run(new ChunkedEngine(new ScriptedRecognizer(), { language: 'en' }), speech)
      .promise;
    expect(transcript.language).toBe('en');
  });
});

describe('ChunkedEngine’s guards against invented text', () => {
  it('cuts a repetition loop down to its first occurrence', async () => {
    const looping = new ScriptedRecognizer(async (_call, seconds) => [
      { start: 0, end: Math.min(seconds, 2), text: `Hello there. ${'Thank you. '.repeat(20)}` },
    ]);
    const transcript = await run(new ChunkedEngine(looping), speech).promise;
    expect(transcript.text).toBe('Hello there. Thank you.');
  });

  it('drops segments stamped over audio with no voice in it', async () => {
    const inventing = new ScriptedRecognizer(async () => [
      { start: 1, end: 3, text: 'Thanks for watching!' },
    ]);
    // A window let through as speech (as if the window-level detection had been fooled) holds only silence.
    const engine = new ChunkedEngine(inventing, { isSpeech: () => true });
    const transcript = await run(engine, silence).promise;
    expect(inventing.calls.length).toBeGreaterThan(0);
    expect(transcript.segments).toEqual([]);
  });
});

/** A recogniser with sessions: each says which windows it heard and whether it was closed. */
class SessionRecognizer extends ScriptedRecognizer {
  sessions: { windows: number; closed: number }[] = [];

  constructor(private readonly failAt: number | null = null) {
    super();
  }

  openSession(): RecognizerSession {
    const session = { windows: 0, closed: 0 };
    this.sessions.push(session);
    return {
      recognize: async (samples) => {
        if (session.windows++ === this.failAt) throw new EngineFailed('the session’s process died');
        return [{ start: 0, end: Math.min(1, samples.length / 16000), text: `heard ${session.windows}` }];
      },
      close: async () => {
        session.closed++;
      },
    };
  }
}

describe('ChunkedEngine and recogniser sessions', () => {
  it('hears every window of a task through one session, closed when the task ends', async () => {
    const recognizer = new SessionRecognizer();
    const engine = new ChunkedEngine(recognizer, { windowSeconds: 6 });
    const { promise, chunks } = run(engine, speech);
    await promise;
    await run(engine, speech).promise;
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(recognizer.calls).toEqual([]);
    expect(recognizer.sessions).toEqual([
      { windows: chunks.length, closed: 1 },
      { windows: chunks.length, closed: 1 },
    ]);
  });

  it('closes the session when a window fails and when the task is aborted', async () => {
    const failing = new SessionRecognizer(1);
    const { promise } = run(new ChunkedEngine(failing, { windowSeconds: 6 }), speech);
    await expect(promise).rejects.toThrow(/process died/);
    expect(failing.sessions).toEqual([{ windows: 2, closed: 1 }]);

    const aborted = new SessionRecognizer();
    const controller = new AbortController();
    const transcription = new ChunkedEngine(aborted, { windowSeconds: 6 }).transcribe(speech, {
      signal: controller.signal,
      onChunk: () => controller.abort({ kind: 'cancelled' }),
    });
    await expect(transcription).rejects.toBeInstanceOf(Aborted);
    expect(aborted.sessions).toEqual([{ windows: 1, closed: 1 }]);
  });

  it('calls the recogniser itself when it offers no session after all', async () => {
    const recognizer = new ScriptedRecognizer();
    Object.assign(recognizer, { openSession: () => null });
    const { promise, chunks } = run(new ChunkedEngine(recognizer, { windowSeconds: 6 }), speech);
    await promise;
    expect(recognizer.calls).toHaveLength(chunks.length);
  });
});

/**
 * A recogniser whose words depend on its prompt, as whisper's do: a window
 * is named by its length in samples (the same window, first heard or
 * resumed, has the same length), and says which window's text it was given.
 * Windows whose length is in `loops` fall into a repetition loop.
 */
/** Windows of 5.3 to 8 s (each cut in its last third), so that all but the file's last are long enough to be prompted. */
const WINDOW = 8;

class PromptedRecognizer implements ChunkRecognizer {
  readonly name = 'prompted';
  heard: { window: number; prompt: string | undefined }[] = [];

  constructor(private readonly loops: ReadonlySet<number> = new Set()) {}

  async recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    const window = samples.length;
    const prompt = options.prompt?.text;
    this.heard.push({ window, prompt });
    const after = prompt ? ` after ${prompt.match(/w\d+/)?.[0] ?? '?'}` : ' alone';
    const text = this.loops.has(window) ? 'round and round '.repeat(12) : `heard w${window}${after}`;
    return [{ start: 0.25, end: Math.min(window / 16000, 1.5), text }];
  }

  async dispose(): Promise<void> {}
}

/** A run stopped once chunk `k` is committed, and what its checkpoint holds (read back as a store would). */
async function stoppedAfter(engine: ChunkedEngine, path: string, k: number) {
  const controller = new AbortController();
  const chunks: ChunkResult[] = [];
  const stopped = engine.transcribe(path, {
    signal: controller.signal,
    onChunk: (chunk) => {
      chunks.push(chunk);
      if (chunk.index === k) controller.abort({ kind: 'preempted', by: 'recording' });
    },
  });
  await expect(stopped).rejects.toBeInstanceOf(Aborted);
  expect(chunks.length).toBe(k + 1);
  const rows = chunks.map((chunk) => ({ end_sec: chunk.end, segments: chunkJson(chunk) }));
  return { chunks, checkpoint: checkpointOf(rows) };
}

describe("ChunkedEngine and the previous window's text as a prompt", () => {
  it('gives window n+1 what window n left, as the rule says: never the text of a window the guards cut', async () => {
    const lengths = (await probeWindows(long)).map((window) => window);
    expect(lengths.length).toBeGreaterThanOrEqual(3);
    const recognizer = new PromptedRecognizer(new Set([lengths[1] as number]));
    const { promise, chunks } = run(
      new ChunkedEngine(recognizer, { windowSeconds: WINDOW, language: 'en' }),
      long,
    );
    await promise;
    const w = (i: number) => lengths[i] as number;
    expect(recognizer.heard.slice(0, 3)).toEqual([
      { window: w(0), prompt: undefined },
      { window: w(1), prompt: `heard w${w(0)} alone` },
      { window: w(2), prompt: undefined }, // window 1 looped: its text is not passed on
    ]);
    expect(chunks[0]?.nextPrompt).toEqual({ text: `heard w${w(0)} alone`, language: 'en' });
    expect(chunks[1]?.nextPrompt).toBeNull();
    // Every prompt given is what the rule makes of what the window before left (none for a short last window).
    recognizer.heard.forEach((call, i) => {
      const next = { language: 'en', seconds: call.window / 16000 };
      if (i > 0) expect(call.prompt).toBe(promptFor(chunks[i - 1]?.nextPrompt, next)?.text);
    });
  });

  it('gives none after a window skipped as silence', async () => {
    const recognizer = new PromptedRecognizer();
    let window = 0;
    const isSpeech = () => window++ !== 1; // the second window holds no voice
    const { promise, chunks } = run(new ChunkedEngine(recognizer, { windowSeconds: WINDOW, isSpeech }), long);
    await promise;
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(chunks[1]?.segments).toEqual([]);
    expect(chunks[1]?.nextPrompt).toBeNull();
    const [first, third, fourth] = recognizer.heard;
    expect(first?.prompt).toBeUndefined();
    expect(third?.prompt).toBeUndefined();
    expect(fourth?.prompt).toBe(`heard w${third?.window} alone`);
  });

  it('gives none when prompts are turned off, yet still records what each window left', async () => {
    const recognizer = new PromptedRecognizer();
    const engine = new ChunkedEngine(recognizer, { windowSeconds: WINDOW, windowPrompt: false });
    const { promise, chunks } = run(engine, long);
    await promise;
    expect(recognizer.heard.every((call) => call.prompt === undefined)).toBe(true);
    expect(chunks[0]?.nextPrompt?.text).toMatch(/^heard w\d+ alone$/);
  });

  it('reads a setting given as a function at each file, so a change applies from the next file on', async () => {
    let on = false;
    const recognizer = new PromptedRecognizer();
    const engine = new ChunkedEngine(recognizer, { windowSeconds: WINDOW, windowPrompt: () => on });
    await run(engine, long).promise;
    const off = recognizer.heard.splice(0);
    expect(off.every((call) => call.prompt === undefined)).toBe(true);
    on = true;
    await run(engine, long).promise;
    expect(recognizer.heard[1]?.prompt).toBe(`heard w${recognizer.heard[0]?.window} alone`);
  });

  it('caps the prompt it passes on', async () => {
    const prompts: (string | undefined)[] = [];
    const recording = new ScriptedRecognizer(async (call, _seconds, options) => {
      prompts.push(options.prompt?.text);
      return [
        { start: 0.25, end: 1.5, text: Array.from({ length: 60 }, (_, i) => `w${call}x${i}`).join(' ') },
      ];
    });
    await run(new ChunkedEngine(recording, { windowSeconds: WINDOW }), long).promise;
    const second = prompts[1] ?? '';
    expect(second.length).toBeLessThanOrEqual(PROMPT_CAP_CHARS);
    expect(second.endsWith('w0x59')).toBe(true);
    expect(second).toMatch(/^w0x\d+ /);
  });

  for (const k of [0, 1]) {
    it(`a task stopped after window ${k} and resumed from its checkpoint prompts every later window as an uninterrupted run does, and ends with the same text`, async () => {
      const lengths = await probeWindows(long);
      expect(lengths.length).toBeGreaterThanOrEqual(k + 2);
      // Window 2 loops, so the prompts after it differ from a run that gives no prompt across the resume.
      const loops = new Set([lengths[2] as number]);
      const engine = (recognizer: PromptedRecognizer) =>
        new ChunkedEngine(recognizer, { windowSeconds: WINDOW });

      const whole = new PromptedRecognizer(loops);
      const uninterrupted = await run(engine(whole), long).promise;

      const first = new PromptedRecognizer(loops);
      const { checkpoint } = await stoppedAfter(engine(first), long, k);
      const again = new PromptedRecognizer(loops);
      const resumed = await run(engine(again), long, {
        startAt: checkpoint.seconds,
        firstChunkIndex: checkpoint.chunkCount,
        prompt: checkpoint.nextPrompt,
      }).promise;

      expect(first.heard).toEqual(whole.heard.slice(0, k + 1));
      expect(again.heard).toEqual(whole.heard.slice(k + 1));
      expect(again.heard[0]?.prompt).toBeDefined(); // window k+1 is prompted, uninterrupted or not
      const segments = [...checkpoint.segments, ...resumed.segments];
      // The same segments, times equal but for float sums (startAt + a window's start).
      const rounded = (list: Segment[]) =>
        list.map(({ start, end, text }) => ({ start: start.toFixed(6), end: end.toFixed(6), text }));
      expect(rounded(segments)).toEqual(rounded(uninterrupted.segments));
      expect(textOfSegments(segments)).toBe(uninterrupted.text);
    });
  }

  it('resumes a checkpoint an older release wrote (no prompt stored): the next window stands alone, the rest follow the rule', async () => {
    const whole = new PromptedRecognizer();
    await run(new ChunkedEngine(whole, { windowSeconds: WINDOW }), long).promise;
    const { chunks } = await stoppedAfter(
      new ChunkedEngine(new PromptedRecognizer(), { windowSeconds: WINDOW }),
      long,
      0,
    );
    // The bare segments array of the previous release's task_chunks rows.
    const checkpoint = checkpointOf(
      chunks.map((chunk) => ({ end_sec: chunk.end, segments: JSON.stringify(chunk.segments) })),
    );
    expect(checkpoint.nextPrompt).toBeUndefined();
    const again = new PromptedRecognizer();
    const resumed = await run(new ChunkedEngine(again, { windowSeconds: WINDOW }), long, {
      startAt: checkpoint.seconds,
      firstChunkIndex: checkpoint.chunkCount,
      prompt: checkpoint.nextPrompt,
    }).promise;
    expect(again.heard[0]).toEqual({ window: whole.heard[1]?.window, prompt: undefined });
    expect(again.heard[1]?.prompt).toBe(`heard w${whole.heard[1]?.window} alone`);
    expect(resumed.segments.length).toBe(whole.heard.length - 1);
  });

  it('gives no prompt to the first window of a file, even when one is offered', async () => {
    const recognizer = new PromptedRecognizer();
    await run(new ChunkedEngine(recognizer, { windowSeconds: WINDOW }), long, {
      prompt: { text: 'from another file', language: null },
    }).promise;
    expect(recognizer.heard[0]?.prompt).toBeUndefined();
  });
});

/** The lengths (in samples) of the windows the engine cuts `path` into, as a recogniser sees them. */
async function probeWindows(path: string): Promise<number[]> {
  const probe = new PromptedRecognizer();
  await run(new ChunkedEngine(probe, { windowSeconds: WINDOW }), path).promise;
  const lengths = probe.heard.map((call) => call.window);
  expect(new Set(lengths).size).toBe(lengths.length); // each window is known by its length
  return lengths;
}

describe("ChunkedEngine and a resumed task's language", () => {
  /** Windows 0 and 1 are heard in German, window 2 in French; later windows report no language. */
  const heardIn = (call: number) => (call < 2 ? 'de' : call === 2 ? 'fr' : null);
  const multilingual = () =>
    new ScriptedRecognizer(async (call, seconds, options) => {
      const code = heardIn(call);
      if (code) options.onLanguage?.(code);
      return [{ start: 0.25, end: Math.min(seconds, 1), text: `window ${call}` }];
    });

  /** The run resumed from `checkpoint`, as the worker resumes it. */
  const resumeFrom = (checkpoint: Checkpoint, recognizer: ScriptedRecognizer) =>
    run(new ChunkedEngine(recognizer, { windowSeconds: WINDOW }), long, {
      startAt: checkpoint.seconds,
      firstChunkIndex: checkpoint.chunkCount,
      languages: checkpoint.languages,
    }).promise;

  it('decides from every window, the checkpointed ones too, as an uninterrupted run does', async () => {
    const whole = await run(new ChunkedEngine(multilingual(), { windowSeconds: WINDOW }), long).promise;
    expect(whole.language).toBe('de');

    const { checkpoint } = await stoppedAfter(
      new ChunkedEngine(multilingual(), { windowSeconds: WINDOW }),
      long,
      1,
    );
    expect(checkpoint.languages).toEqual(['de', 'de']);
    // The resumed run's recogniser numbers its calls from 0: shift them to the file's windows.
    const later = new ScriptedRecognizer(async (call, seconds, options) => {
      const code = heardIn(call + 2);
      if (code) options.onLanguage?.(code);
      return [{ start: 0.25, end: Math.min(seconds, 1), text: `window ${call + 2}` }];
    });
    const resumed = await resumeFrom(checkpoint, later);
    expect(resumed.language).toBe('de');
  });

  it('resumes a checkpoint without the heard languages (an older release), counting the windows it hears', async () => {
    const { chunks } = await stoppedAfter(
      new ChunkedEngine(multilingual(), { windowSeconds: WINDOW }),
      long,
      1,
    );
    const checkpoint = checkpointOf(
      chunks.map((chunk) => ({ end_sec: chunk.end, segments: JSON.stringify(chunk.segments) })),
    );
    expect(checkpoint.languages).toBeUndefined();
    const later = new ScriptedRecognizer(async (_call, seconds, options) => {
      options.onLanguage?.('fr');
      return [{ start: 0.25, end: Math.min(seconds, 1), text: 'later' }];
    });
    const resumed = await resumeFrom(checkpoint, later);
    expect(resumed.language).toBe('fr');
  });
});
