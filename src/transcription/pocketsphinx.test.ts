import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAll, lazySuiteDir } from '../../tests/helpers/audioFiles.js';
import { descendants, whenGone } from '../../tests/helpers/childProcesses.js';
import { concatenate, SENTENCES, speak, wordErrorRate } from '../../tests/helpers/speech.js';
import { Aborted, EngineFailed } from '../core/errors.js';
import {
  groupWords,
  PocketsphinxRecognizer,
  parsePocketsphinxOutput,
  pocketsphinxAvailable,
  pocketsphinxInfo,
  quietLeadIn,
} from './pocketsphinx.js';

const OUTPUT = `the quick brown fox
<s> 0.110 0.200 0.999900
the 0.210 0.320 0.312380
quick 0.330 0.610 0.865787
[NOISE] 0.620 0.700 0.500000
brown 0.710 0.970 0.999800
<sil> 0.980 1.900 1.000000
fox(2) 1.910 2.310 0.999800
</s> 2.690 3.120 1.000000
please call
<s> 4.470 4.530 1.000000
please 4.540 4.830 0.991238
++BREATH++ 4.840 4.900 0.5
call 4.910 5.180 1.000200
</s> 5.190 5.570 1.000000
`;

describe('reading pocketsphinx output', () => {
  it('keeps every timed line, markers included, and skips the text lines', () => {
    const words = parsePocketsphinxOutput(OUTPUT);
    expect(words.map((w) => w.word)).toEqual([
      '<s>',
      'the',
      'quick',
      '[NOISE]',
      'brown',
      '<sil>',
      'fox(2)',
      '</s>',
      '<s>',
      'please',
      '++BREATH++',
      'call',
      '</s>',
    ]);
    expect(words[1]).toEqual({ word: 'the', start: 0.21, end: 0.32 });
  });

  it('groups words into segments at utterances and long pauses, without markers or pronunciation numbers', () => {
    expect(groupWords(parsePocketsphinxOutput(OUTPUT), 0.6)).toEqual([
      { start: 0.21, end: 0.97, text: 'the quick brown' },
      { start: 1.91, end: 2.31, text: 'fox' },
      { start: 4.54, end: 5.18, text: 'please call' },
    ]);
  });

  it('keeps half a second of the quiet before speech, and all of a window without any', () => {
    const window = new Float32Array(16000 * 6);
    expect(quietLeadIn(window)).toBe(0);
    // A 300 Hz buzz with harmonics from 4 s on: a voice as far as the level test is concerned.
    for (let i = 16000 * 4; i < window.length; i++)
      window[i] = 0.2 * Math.sign(Math.sin((2 * Math.PI * 300 * i) / 16000));
    const kept = window.length - quietLeadIn(window);
    expect(kept / 16000).toBeGreaterThan(2.4);
    expect(kept / 16000).toBeLessThan(2.6);
  });

  it('gives no segments for output with no words', () => {
    expect(groupWords(parsePocketsphinxOutput('\n<s> 0.1 0.2 1\n</s> 0.3 0.4 1\n'), 0.6)).toEqual([]);
  });
});

describe('PocketsphinxRecognizer', () => {
  const folder = lazySuiteDir('hark-pocketsphinx-');
  let twoSentences: Float32Array;

  beforeAll(async () => {
    const files = SENTENCES.slice(0, 2).map((text, i) => speak(text, join(folder.path, `s${i}.wav`)));
    twoSentences = await decodeAll(concatenate(files, join(folder.path, 'two.wav')));
  });
  afterAll(() => folder.remove());

  it('is installed here, with a version for hark doctor', async () => {
    expect(pocketsphinxAvailable()).toBe(true);
    const info = await pocketsphinxInfo();
    expect(info?.binary).toMatch(/pocketsphinx_continuous$/);
    expect(info?.version).toMatch(/\d/);
  });

  it('is not available without its program or its model', () => {
    expect(pocketsphinxAvailable({ binary: 'no-such-pocketsphinx' })).toBe(false);
    expect(pocketsphinxAvailable({ modelDir: join(folder.path, 'no-model') })).toBe(false);
  });

  it('hears two sentences, with times inside the window and progress as it goes', async () => {
    const progress: number[] = [];
    const segments = await new PocketsphinxRecognizer().recognize(twoSentences, {
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p),
    });
    const text = segments.map((s) => s.text).join(' ');
    expect(wordErrorRate(`${SENTENCES[0]} ${SENTENCES[1]}`, text)).toBeLessThanOrEqual(0.2);
    expect(segments.length).toBeGreaterThanOrEqual(2);
    for (const segment of segments) {
      expect(segment.start).toBeGreaterThanOrEqual(0);
      expect(segment.end).toBeLessThanOrEqual(twoSentences.length / 16000);
      expect(segment.text).not.toMatch(/[<>[\]()+]/);
    }
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p > 0 && p <= 1)).toBe(true);
  });

  // Found by the bad-audio corpus (tests/badAudio*.test.ts): in a 3-hour file whose sentences each
  // follow minutes of silence, every window began with seconds of quiet and came out as other words.
  it('hears a sentence that follows 10 s of silence at the start of its window, at its real time', async () => {
    const first = twoSentences.subarray(0, twoSentences.length / 2);
    const window = new Float32Array(16000 * 10 + first.length);
    window.set(first, 16000 * 10);
    const segments = await new PocketsphinxRecognizer().recognize(window, {
      signal: new AbortController().signal,
    });
    const text = segments.map((s) => s.text).join(' ');
    expect(wordErrorRate(SENTENCES[0], text)).toBeLessThanOrEqual(0.25);
    expect(segments[0]?.start).toBeGreaterThanOrEqual(10);
    expect(segments.at(-1)?.end).toBeLessThanOrEqual(window.length / 16000);
  });

  it('gives the same words for the same window every time (resuming relies on it)', async () => {
    const recognizer = new PocketsphinxRecognizer();
    const signal = new AbortController().signal;
    const window = twoSentences.subarray(0, 16000 * 3);
    expect(await recognizer.recognize(window, { signal })).toEqual(
      await recognizer.recognize(window, { signal }),
    );
  });

  it('kills pocketsphinx and the spare started ahead within a second of an abort, and leaves no process behind', async () => {
    const controller = new AbortController();
    const before = new Set(descendants().map((p) => p.pid));
    let running: number[] = [];
    let abortedAt = 0;
    const recognizer = new PocketsphinxRecognizer();
    const recognition = recognizer.recognize(twoSentences, {
      signal: controller.signal,
      onProgress: () => {
        // The first word is out: pocketsphinx is certainly running now, and the next window's spare too.
        if (controller.signal.aborted) return;
        running = descendants()
          .filter((p) => !before.has(p.pid))
          .map((p) => p.pid);
        abortedAt = Date.now();
        controller.abort({ kind: 'cancelled' });
      },
    });
    await expect(recognition).rejects.toBeInstanceOf(Aborted);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(running).toHaveLength(2);
    expect(await whenGone(running)).toEqual([]);
    expect(descendants().filter((p) => !before.has(p.pid))).toEqual([]);
    await recognizer.dispose();
  });

  it('fails with pocketsphinx’s own logged error when its model is missing', async () => {
    const error = await new PocketsphinxRecognizer({ modelDir: join(folder.path, 'no-model') })
      .recognize(twoSentences.subarray(0, 16000), { signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailed);
    expect((error as Error).message).toMatch(/pocketsphinx failed .*: (ERROR|FATAL).*no-model/);
  });
});
