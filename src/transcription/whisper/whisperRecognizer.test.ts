import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../../tests/helpers/childProcesses.js';
import { eventually } from '../../../tests/helpers/wait.js';
import { writeGgmlModel } from '../../../tests/helpers/whisperModel/ggmlModel.js';
import { whisperRuntimes } from '../../../tests/helpers/whisperRuntimes.js';
import { audioContextFor, MIN_AUDIO_CTX } from '../../core/audioContext.js';
import { Aborted, BadRequest, EngineFailed, HarkError } from '../../core/errors.js';
import { isWhisperLanguage } from '../../core/languages.js';
import type { Segment } from '../../core/types.js';
import { SAMPLE_RATE } from '../recognizer.js';
import { WhisperInLanguage } from './whisperInLanguage.js';
import { WhisperRecognizer, type WhisperRecognizerOptions } from './whisperRecognizer.js';
import type { WhisperRuntime } from './whisperRuntime.js';

// The synthetic `test` model (8 MB, seeded weights): real whisper.cpp inference, gibberish words, fast.
let dir: string;
let englishModel: string;
const recognizers: WhisperRecognizer[] = [];
/** The program hosting the models of the block under way (each block runs once per runtime). */
let runtime: WhisperRuntime;
let runtimeEnv: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hark-whisper-'));
  englishModel = writeGgmlModel(join(dir, 'ggml-test.en.bin'), { preset: 'test', seed: 1 });
});

afterEach(async () => {
  // Every test's host processes end with it; a test that leaked one would show here as a live pid.
  const pids = recognizers.map((recognizer) => recognizer.pid).filter((pid) => pid !== null);
  await Promise.all(recognizers.splice(0).map((recognizer) => recognizer.dispose()));
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recognizer(options: Partial<WhisperRecognizerOptions> = {}): WhisperRecognizer {
  // One thread: this machine has two cores, and ggml's threads wait on each other badly when one is descheduled.
  const created = new WhisperRecognizer({ modelPath: englishModel, threads: 1, runtime, ...options });
  recognizers.push(created);
  return created;
}

const noAbort = () => new AbortController().signal;
const run = promisify(execFile);

/** A rising tone with a tremolo: not speech, but audio with structure, unlike silence. */
function tone(seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * SAMPLE_RATE) }, (_, i) => {
    const t = i / SAMPLE_RATE;
    return 0.3 * Math.sin(2 * Math.PI * (200 + 40 * t) * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  });
}

const silence = (seconds: number) => new Float32Array(Math.round(seconds * SAMPLE_RATE));

function textOf(segments: Segment[]): string {
  return segments.map((segment) => segment.text).join(' ');
}

describe.each(whisperRuntimes)('on $label', (host) => {
  beforeAll(() => {
    runtime = host.runtime();
    runtimeEnv = host.env;
  });
  it('hosts the model in the program it was given', async () => {
    const whisper = recognizer();
    await whisper.prewarm();
    const program = readlinkSync(`/proc/${whisper.pid}/exe`);
    expect(program).toBe(
      runtime.kind === 'native' ? realpathSync(runtime.binary) : realpathSync(process.execPath),
    );
  });

  describe('WhisperRecognizer with one loaded model', () => {
    // Tests that leave the host as they found it share one, which saves a process start each.
    let whisper: WhisperRecognizer;
    beforeAll(() => {
      whisper = new WhisperRecognizer({ modelPath: englishModel, threads: 1, runtime });
    });
    afterAll(() => whisper.dispose());

    it('transcribes a window into text with times inside the window, the same text every time', async () => {
      expect(whisper.name).toBe('whisper:test.en');
      const window = tone(7.5);

      const first = await whisper.recognize(window, { signal: noAbort() });
      const again = await whisper.recognize(window, { signal: noAbort() });
      const quiet = await whisper.recognize(silence(7.5), { signal: noAbort() });

      expect(textOf(first)).toMatch(/\w{2,}/);
      expect(again).toEqual(first);
      // Different audio, different words: the samples really reach the model.
      expect(textOf(quiet)).not.toBe(textOf(first));
      for (const segment of [...first, ...quiet]) {
        expect(segment.start).toBeGreaterThanOrEqual(0);
        expect(segment.end).toBeGreaterThanOrEqual(segment.start);
        expect(segment.end).toBeLessThanOrEqual(7.5);
      }
      expect(first.at(-1)?.end).toBe(7.5);
    });

    it("reports whisper's own progress, within 0..1 and ending at 1", async () => {
      const fractions: number[] = [];
      await whisper.recognize(tone(4), {
        signal: noAbort(),
        onProgress: (fraction) => fractions.push(fraction),
      });

      expect(fractions.length).toBeGreaterThan(0);
      expect(fractions.every((fraction) => fraction >= 0 && fraction <= 1)).toBe(true);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      expect(fractions.at(-1)).toBe(1);
    });

    it("gives whisper the previous window's text as its initial prompt, read back from the binding's params", async () => {
      const window = tone(3);
      const prompts: string[] = [];
      const listen = ({ prompt }: { prompt: string }) => prompts.push(prompt);
      whisper.on('window', listen);
      const alone = await whisper.recognize(window, { signal: noAbort() });
      const prompted = await whisper.recognize(window, {
        signal: noAbort(),
        prompt: { text: 'Meet Siobhan at the quay.', language: 'en' },
      });
      whisper.off('window', listen);
      expect(prompts).toEqual(['', 'Meet Siobhan at the quay.']);
      // The prompt reaches the decoder: the same audio decodes to other words after it.
      expect(textOf(prompted)).not.toBe(textOf(alone));
    });

    it('pads a window shorter than a second instead of returning nothing', async () => {
      const segments = await whisper.recognize(tone(0.5), { signal: noAbort() });
      expect(textOf(segments)).toMatch(/\w{2,}/);
      expect(Math.max(...segments.map((segment) => segment.end))).toBeLessThanOrEqual(0.5);
      expect(await whisper.recognize(new Float32Array(0), { signal: noAbort() })).toEqual([]);
    });

    it('keeps the event loop free while a window is recognised', async () => {
      const ticks: number[] = [];
      const timer = setInterval(() => ticks.push(performance.now()), 5);
      const inference = once(whisper, 'window');
      await whisper.recognize(tone(30), { signal: noAbort() });
      clearInterval(timer);
      const [{ inferenceMs }] = await inference;

      const longestGap = Math.max(...ticks.slice(1).map((tick, i) => tick - (ticks[i] ?? tick)));
      // Inference in this process would stall the timer for the whole of it.
      expect(ticks.length).toBeGreaterThan(5);
      expect(longestGap).toBeLessThan(Math.max(inferenceMs / 2, 20));
    });

    it("encodes only what a short window needs: the sizing rule's audio_ctx reaches whisper", async () => {
      const contexts: number[] = [];
      const listen = ({ audioCtx }: { audioCtx: number }) => contexts.push(audioCtx);
      whisper.on('window', listen);
      const six = await whisper.recognize(tone(6), { signal: noAbort() });
      await whisper.recognize(tone(0.5), { signal: noAbort() });
      await whisper.recognize(tone(29), { signal: noAbort() });
      whisper.off('window', listen);

      // Read back from the binding's params in the host: 0 is whisper's default, the full 30 s.
      expect(contexts).toEqual([audioContextFor(6), audioContextFor(1.1), 0]);
      expect(contexts[1]).toBe(MIN_AUDIO_CTX);
      expect(textOf(six)).toMatch(/\w{2,}/);
      expect(Math.max(...six.map((segment) => segment.end))).toBeLessThanOrEqual(6);
    });
  });

  describe('WhisperRecognizer host processes', () => {
    it('loads the model once, ahead of time, for every window of every file, with flat memory', async () => {
      const whisper = recognizer();
      const loads: number[] = [];
      const windows: { rssBytes: number }[] = [];
      whisper.on('load', ({ pid }) => loads.push(pid));
      whisper.on('window', (window) => windows.push(window));

      await whisper.prewarm();
      expect(whisper.loads).toBe(1);
      const pid = whisper.pid;
      const files = [
        [tone(30), silence(30), tone(12)],
        [tone(30), tone(20), silence(5), tone(30), tone(8), tone(30), silence(30), tone(30), tone(3)],
      ];
      for (const file of files) {
        for (const window of file) await whisper.recognize(window, { signal: noAbort() });
      }

      expect(whisper.loads).toBe(1);
      expect(loads).toEqual([pid]);
      expect(whisper.pid).toBe(pid);
      expect(windows).toHaveLength(12);
      // Flat within a couple of MB here; without the host's collection after each window, every window
      // leaves its samples and the binding's per-call state behind (about 2 MB each).
      const settled = windows[2]?.rssBytes ?? 0;
      const last = windows.at(-1)?.rssBytes ?? 0;
      expect(last - settled).toBeLessThan(8 * 1024 * 1024);
    });

    it('frees the model after the idle time and loads it again for the next window', async () => {
      const whisper = recognizer({ idleMs: 200 });
      await whisper.recognize(tone(2), { signal: noAbort() });
      const firstPid = whisper.pid;

      const [unload] = await once(whisper, 'unload');
      expect(unload).toMatchObject({ pid: firstPid, reason: 'idle', exit: { code: 0 } });
      expect(whisper.pid).toBeNull();
      expect(isAlive(firstPid ?? -1)).toBe(false);

      await whisper.recognize(tone(2), { signal: noAbort() });
      expect(whisper.loads).toBe(2);
      expect(whisper.pid).not.toBe(firstPid);
    });

    it('keeps the model through a prewarm that overlaps a window', async () => {
      const whisper = recognizer({ idleMs: 30 });
      const window = whisper.recognize(tone(30), { signal: noAbort() });
      // Returns once the model is loaded, while the window is still being transcribed: the idle
      // time must not start counting then.
      await whisper.prewarm();

      expect(textOf(await window)).toMatch(/\w{2,}/);
      expect(whisper.loads).toBe(1);
    });

    it('aborts within a second by killing the host, and the next window starts a new one', async () => {
      const whisper = recognizer();
      await whisper.prewarm();
      const controller = new AbortController();
      const pending = whisper.recognize(tone(30), { signal: controller.signal });
      const [{ pid }] = await once(whisper, 'inference');

      const started = performance.now();
      controller.abort({ kind: 'preempted', by: 'recording' });
      const error = await pending.catch((caught: unknown) => caught);

      expect(performance.now() - started).toBeLessThan(1000);
      expect(error).toBeInstanceOf(Aborted);
      expect((error as Aborted).reason).toEqual({ kind: 'preempted', by: 'recording' });
      expect(isAlive(pid)).toBe(false);
      expect(whisper.pid).toBeNull();

      expect(textOf(await whisper.recognize(tone(2), { signal: noAbort() }))).toMatch(/\w{2,}/);
      expect(whisper.loads).toBe(2);
    });

    it('loads the model again at once when a held host is killed to stop a window (a recording pre-empting it)', async () => {
      const whisper = recognizer();
      await whisper.prewarm();
      const release = await whisper.keepLoaded();
      const controller = new AbortController();
      const pending = whisper.recognize(tone(30), { signal: controller.signal });
      const [{ pid: killed }] = await once(whisper, 'inference');
      const reloaded = once(whisper, 'load');
      controller.abort({ kind: 'preempted', by: 'recording' });
      expect(await pending.catch((caught: unknown) => caught)).toBeInstanceOf(Aborted);
      const [{ pid }] = (await reloaded) as [{ pid: number }];
      expect(pid).not.toBe(killed);
      expect(whisper.pid).toBe(pid);
      expect(whisper.loads).toBe(2);
      release();
    });

    it('rejects at once, without starting a host, when the signal has already fired', async () => {
      const whisper = recognizer();
      const controller = new AbortController();
      controller.abort({ kind: 'shutdown' });
      await expect(whisper.recognize(tone(2), { signal: controller.signal })).rejects.toBeInstanceOf(Aborted);
      expect(whisper.pid).toBeNull();
    });

    it('fails only the call a killed host was serving; the next call works', async () => {
      const whisper = recognizer();
      await whisper.prewarm();
      const pending = whisper.recognize(tone(30), { signal: noAbort() });
      const [{ pid }] = await once(whisper, 'inference');
      const unloaded = once(whisper, 'unload');
      process.kill(pid, 'SIGKILL');

      const error = await pending.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineFailed);
      expect((error as EngineFailed).retryable).toBe(true);
      expect((error as Error).message).toMatch(/SIGKILL/);
      const [unload] = await unloaded;
      expect(unload).toMatchObject({ pid, reason: 'exited', exit: { signal: 'SIGKILL' } });

      expect(textOf(await whisper.recognize(tone(2), { signal: noAbort() }))).toMatch(/\w{2,}/);
      expect(whisper.loads).toBe(2);
    });

    it('reports a file that is not a model as an unavailable engine, not worth retrying', async () => {
      const broken = join(dir, 'ggml-broken.bin');
      writeFileSync(broken, 'this is not a ggml model');
      const whisper = recognizer({ modelPath: broken });

      const error = await whisper
        .recognize(tone(2), { signal: noAbort() })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HarkError);
      expect(error).toMatchObject({ kind: 'engine_unavailable', retryable: false });
      expect((error as Error).message).toContain(broken);
    });

    it('detects the language with a multilingual model by default', async () => {
      const multilingual = writeGgmlModel(join(dir, 'ggml-test.bin'), {
        preset: 'test',
        multilingual: true,
        seed: 2,
      });
      const whisper = recognizer({ modelPath: multilingual });
      expect(whisper.name).toBe('whisper:test');
      const heard: string[] = [];
      const segments = await whisper.recognize(tone(3), {
        signal: noAbort(),
        onLanguage: (code) => heard.push(code),
      });
      expect(textOf(segments)).toMatch(/\w{2,}/);
      // With random weights the language is noise, but it is one whisper knows, reported by the host.
      expect(heard).toHaveLength(1);
      expect(isWhisperLanguage(heard[0] ?? '')).toBe(true);
    });

    it('gives each segment its words’ times, inside the segment, the words making up its text', async () => {
      const segments = await recognizer().recognize(tone(6), { signal: noAbort() });
      expect(segments.length).toBeGreaterThan(0);
      for (const segment of segments) {
        const words = segment.words ?? [];
        expect(words.length).toBeGreaterThan(0);
        expect(words.map((word) => word.text).join(' ')).toBe(segment.text);
        for (const word of words) {
          expect(word.start).toBeGreaterThanOrEqual(segment.start);
          expect(word.end).toBeLessThanOrEqual(segment.end);
          expect(word.end).toBeGreaterThanOrEqual(word.start);
        }
      }
    });

    it('passes a pinned language and the translate task through to the host', async () => {
      const multilingual = writeGgmlModel(join(dir, 'ggml-test-pinned.bin'), {
        preset: 'test',
        multilingual: true,
        seed: 2,
      });
      const whisper = recognizer({ modelPath: multilingual, language: 'de', translate: true });
      const heard: string[] = [];
      await whisper.recognize(tone(3), { signal: noAbort(), onLanguage: (code) => heard.push(code) });
      expect(heard).toEqual(['de']);
    });

    it('hears each call in the language it names, every language through the one host', async () => {
      const multilingual = writeGgmlModel(join(dir, 'ggml-test-percall.bin'), {
        preset: 'test',
        multilingual: true,
        seed: 2,
      });
      const whisper = recognizer({ modelPath: multilingual });
      const heard: string[] = [];
      const onLanguage = (code: string) => heard.push(code);
      await whisper.recognize(tone(2), { signal: noAbort(), onLanguage, language: 'de', translate: false });
      const pid = whisper.pid;
      await whisper.recognize(tone(2), { signal: noAbort(), onLanguage, language: 'fr', translate: true });
      const english = new WhisperInLanguage(whisper, { language: 'en', translate: false });
      await english.recognize(tone(2), { signal: noAbort(), onLanguage });
      expect(heard).toEqual(['de', 'fr', 'en']);
      expect(whisper.pid).toBe(pid);
      expect(whisper.loads).toBe(1);
      // A call's language is checked against the loaded model too.
      const renamed = writeGgmlModel(join(dir, 'ggml-custom-percall.bin'), { preset: 'test', seed: 1 });
      const englishOnly = recognizer({ modelPath: renamed });
      await expect(englishOnly.recognize(tone(2), { signal: noAbort(), language: 'fr' })).rejects.toThrow(
        /custom-percall is English-only/,
      );
    });

    it('decodes a window again without its prompt when whisper detects another language than the prompt was heard in', async () => {
      const multilingual = writeGgmlModel(join(dir, 'ggml-test-auto.bin'), {
        preset: 'test',
        multilingual: true,
        seed: 3,
      });
      const whisper = recognizer({ modelPath: multilingual, language: 'auto' });
      const window = tone(3);
      const heard: string[] = [];
      const alone = await whisper.recognize(window, {
        signal: noAbort(),
        onLanguage: (code) => heard.push(code),
      });
      const detected = heard[0] ?? '';
      expect(isWhisperLanguage(detected)).toBe(true);
      const other = detected === 'fr' ? 'de' : 'fr';
      const prompts: string[] = [];
      whisper.on('window', ({ prompt }) => prompts.push(prompt));
      const kept = await whisper.recognize(window, {
        signal: noAbort(),
        prompt: { text: 'Bonjour à tous.', language: detected },
      });
      const dropped = await whisper.recognize(window, {
        signal: noAbort(),
        prompt: { text: 'Bonjour à tous.', language: other },
        onLanguage: (code) => heard.push(code),
      });
      expect(prompts).toEqual(['Bonjour à tous.', '']);
      expect(textOf(kept)).not.toBe(textOf(alone));
      expect(dropped).toEqual(alone);
      expect(heard).toEqual([detected, detected]);
    });

    it('refuses another language on a model that says it is English-only, whatever its file is called', async () => {
      const renamed = writeGgmlModel(join(dir, 'ggml-custom.bin'), { preset: 'test', seed: 1 });
      const whisper = recognizer({ modelPath: renamed, language: 'fr' });
      const error = await whisper
        .recognize(tone(2), { signal: noAbort() })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BadRequest);
      expect((error as Error).message).toMatch(/custom is English-only.*multilingual model base/);
    });

    it.each(['dispose', 'leave'])(
      'lets a short-lived program (a CLI run) exit when done, whether or not it disposes (%s)',
      async (ending) => {
        const script = join(dir, 'cli-run.mts');
        writeFileSync(
          script,
          `import { WhisperRecognizer } from ${JSON.stringify(fileURLToPath(new URL('./whisperRecognizer.ts', import.meta.url)))};
          const whisper = new WhisperRecognizer({ modelPath: process.argv[2], threads: 1 });
          await whisper.recognize(new Float32Array(32000), { signal: new AbortController().signal });
          console.log(JSON.stringify({ pid: whisper.pid }));
          if (process.argv[3] === 'dispose') await whisper.dispose();`,
        );
        const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
        // A program kept alive by its idle host would sit out the 5-minute idle time and hit this timeout.
        const { stdout } = await run(process.execPath, ['--import', tsx, script, englishModel, ending], {
          timeout: 20_000,
          env: { ...process.env, ...runtimeEnv },
        });
        const { pid } = JSON.parse(stdout) as { pid: number };
        // The host notices its parent is gone and exits too.
        await eventually(() => !isAlive(pid), `the orphaned host ${pid} to exit`, { intervalMs: 50 });
      },
    );

    it("keeps whisper's full 30-second encoder pass for every window when told to ('full')", async () => {
      const whisper = recognizer({ audioContext: 'full' });
      const window = once(whisper, 'window');
      await whisper.recognize(tone(6), { signal: noAbort() });
      const [{ audioCtx }] = await window;
      expect(audioCtx).toBe(0);
    });

    it('ends its host on dispose, and may be disposed twice', async () => {
      const whisper = recognizer();
      await whisper.prewarm();
      const pid = whisper.pid ?? -1;
      await whisper.dispose();
      await whisper.dispose();
      expect(isAlive(pid)).toBe(false);
      expect(whisper.pid).toBeNull();
    });
  });
});
