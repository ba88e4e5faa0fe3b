import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkResult, TranscribeOptions, TranscriptionEngine } from '../../src/core/engine.js';
import { Aborted, FileMissing, UnreadableAudio } from '../../src/core/errors.js';
import type { Transcript } from '../../src/core/types.js';
import {
  corruptHeader,
  decodeAll,
  lazySuiteDir,
  liveWebm,
  pngImage,
  randomBytesFile,
  truncateFile,
} from '../helpers/audioFiles.js';
import { descendants, whenGone } from '../helpers/childProcesses.js';
import { concatenate, convert, SENTENCES, speak, synthesize, wordErrorRate } from '../helpers/speech.js';

/**
 * Builds the engine under test. Engines cut into windows take the window
 * length: the contract uses production-size windows (30 s) for accuracy and
 * short ones to exercise several windows on a short file. A plain
 * `() => engine` factory fits too.
 */
export type EngineFactory = (settings: { windowSeconds: number }) => TranscriptionEngine;

export interface EngineContractOptions {
  /**
   * Whether the engine decodes and hears real audio. The fake engine only
   * pretends, so only the mechanics (progress, abort, chunks, resume) apply to it.
   */
  hearsAudio: boolean;
  /** The largest word error rate allowed on the eight flite sentences. Without it, accuracy is not checked. */
  maxWordErrorRate?: number;
  /**
   * The largest word error rate allowed on one short sentence in each format.
   * A wrong decode (wrong rate, wrong channels) gives close to 100 %. Default 0.34.
   */
  maxFormatWordErrorRate?: number;
  /**
   * Whether the engine hears telephone-band (8 kHz) audio. pocketsphinx's only
   * model is wideband and does not; for such engines the 8 kHz case checks
   * decoding and records the error rate without judging it. Default true.
   */
  hearsNarrowband?: boolean;
  /** Where measured figures are written; default console.info. */
  record?: (line: string) => void;
}

const SHORT_WINDOW = 5;
const LONG_WINDOW = 30;

interface Run {
  transcript: Transcript;
  chunks: ChunkResult[];
  progress: number[];
  seconds: number;
}

async function transcribe(
  engine: TranscriptionEngine,
  path: string,
  extra: Partial<TranscribeOptions> = {},
): Promise<Run> {
  const chunks: ChunkResult[] = [];
  const progress: number[] = [];
  const started = performance.now();
  const transcript = await engine.transcribe(path, {
    signal: new AbortController().signal,
    onProgress: (fraction) => progress.push(fraction),
    onChunk: (chunk) => {
      chunks.push(chunk);
    },
    ...extra,
  });
  return { transcript, chunks, progress, seconds: (performance.now() - started) / 1000 };
}

function expectRisingToOne(progress: readonly number[]): void {
  expect(progress.length).toBeGreaterThan(0);
  progress.forEach((fraction, i) => {
    expect(fraction).toBeGreaterThanOrEqual(0);
    expect(fraction).toBeLessThanOrEqual(1);
    if (i > 0) expect(fraction).toBeGreaterThanOrEqual(progress[i - 1] ?? 0);
  });
  expect(progress.at(-1)).toBe(1);
}

function textOf(chunks: readonly ChunkResult[]): string {
  return chunks.flatMap((chunk) => chunk.segments.map((segment) => segment.text)).join(' ');
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

/** Defines the tests every transcription engine must pass. */
export function defineEngineContract(
  name: string,
  create: EngineFactory,
  options: EngineContractOptions,
): void {
  const record = options.record ?? ((line: string) => console.info(`[contract] ${name}: ${line}`));

  describe(`engine contract: ${name}`, () => {
    const folder = lazySuiteDir('hark-contract-');
    const file = (fileName: string) => join(folder.path, fileName);
    const engines: TranscriptionEngine[] = [];
    const engine = (windowSeconds: number) => {
      const created = create({ windowSeconds });
      engines.push(created);
      return created;
    };
    let sentenceFiles: string[] = [];
    let threeSentences: string;
    let threeSeconds: number;
    let fullRun: Promise<Run> | undefined;
    /** One uninterrupted run over three sentences with short windows, shared by the mechanics tests. */
    const uninterrupted = () => {
      fullRun ??= transcribe(engine(SHORT_WINDOW), threeSentences);
      return fullRun;
    };

    beforeAll(async () => {
      sentenceFiles = SENTENCES.map((text, i) => speak(text, file(`sentence${i}.wav`)));
      threeSentences = concatenate(sentenceFiles.slice(0, 3), file('three.wav'));
      threeSeconds = (await decodeAll(threeSentences)).length / 16_000;
    });
    afterAll(async () => {
      for (const created of engines) await created.dispose();
      folder.remove();
    });

    describe('progress and chunks', () => {
      it('reports progress that only rises, ending at 1', async () => {
        const { progress, chunks } = await uninterrupted();
        expectRisingToOne(progress);
        expect(chunks.at(-1)?.progress).toBe(1);
      });

      it('gives chunks that cover the file contiguously, numbered from 0', async () => {
        const { chunks, transcript } = await uninterrupted();
        expect(chunks.length).toBeGreaterThanOrEqual(3);
        expect(chunks[0]?.start).toBe(0);
        chunks.forEach((chunk, i) => {
          expect(chunk.index).toBe(i);
          expect(chunk.end).toBeGreaterThan(chunk.start);
          if (i > 0) expect(chunk.start).toBeCloseTo(chunks[i - 1]?.end ?? Number.NaN, 6);
          for (const segment of chunk.segments) {
            expect(segment.start).toBeGreaterThanOrEqual(chunk.start - 1e-6);
            expect(segment.end).toBeLessThanOrEqual(chunk.end + 1e-6);
          }
        });
        expect(chunks.at(-1)?.end).toBeCloseTo(transcript.duration, 1);
        if (options.hearsAudio) expect(transcript.duration).toBeCloseTo(threeSeconds, 1);
      });

      it('resumed at a chunk boundary, gives the same later chunks as the uninterrupted run', async () => {
        const full = await uninterrupted();
        const k = Math.max(1, full.chunks.length - 2);
        const boundary = full.chunks[k]?.start ?? Number.NaN;
        const resumed = await transcribe(engine(SHORT_WINDOW), threeSentences, {
          startAt: boundary,
          firstChunkIndex: k,
        });
        const later = full.chunks.slice(k);
        expect(resumed.chunks.map((c) => c.index)).toEqual(later.map((c) => c.index));
        resumed.chunks.forEach((chunk, i) => {
          expect(chunk.start).toBeCloseTo(later[i]?.start ?? Number.NaN, 2);
          expect(chunk.end).toBeCloseTo(later[i]?.end ?? Number.NaN, 2);
        });
        // Progress never drops below the part committed before the resume.
        expect(resumed.progress[0]).toBeGreaterThanOrEqual(boundary / full.transcript.duration - 0.01);
        expectRisingToOne(resumed.progress);
        expect(resumed.transcript.segments.every((segment) => segment.start >= boundary - 1e-6)).toBe(true);
        // Words at the boundary may differ; the rest may not.
        expect(wordErrorRate(textOf(later), resumed.transcript.text)).toBeLessThanOrEqual(0.1);
      });
    });

    describe('abort', () => {
      it('rejects with Aborted within 1 s of an abort mid-file and leaves no child process', async () => {
        const controller = new AbortController();
        // Other engines of this suite may keep a model host alive: only this call's processes count.
        const before = new Set(descendants().map((p) => p.pid));
        const ours = () => descendants().filter((p) => !before.has(p.pid));
        let running: number[] = [];
        let abortedAt = 0;
        const transcription = engine(SHORT_WINDOW).transcribe(threeSentences, {
          signal: controller.signal,
          onProgress: (fraction) => {
            if (fraction < 0.3 || controller.signal.aborted) return;
            running = ours().map((p) => p.pid);
            abortedAt = performance.now();
            controller.abort({ kind: 'preempted', by: 'recording' });
          },
        });
        await expect(transcription).rejects.toMatchObject({
          name: 'Aborted',
          reason: { kind: 'preempted', by: 'recording' },
        });
        expect(abortedAt).toBeGreaterThan(0);
        expect(performance.now() - abortedAt).toBeLessThan(1000);
        expect(await whenGone(running)).toEqual([]);
        expect(await whenGone(ours().map((p) => p.pid))).toEqual([]);
      });

      it('rejects with Aborted within 1 s when aborted while a later window is being worked on', async () => {
        const controller = new AbortController();
        const before = new Set(descendants().map((p) => p.pid));
        const ours = () => descendants().filter((p) => !before.has(p.pid));
        let running: number[] = [];
        let abortedAt = 0;
        let timer: NodeJS.Timeout | undefined;
        const transcription = engine(SHORT_WINDOW).transcribe(threeSentences, {
          signal: controller.signal,
          onChunk: (chunk) => {
            // A little way into the next window (short enough for fast engines to be still on
            // it), whatever the engine is doing then.
            if (chunk.index === 0) {
              timer = setTimeout(() => {
                running = ours().map((p) => p.pid);
                abortedAt = performance.now();
                controller.abort({ kind: 'cancelled' });
              }, 50);
            }
          },
        });
        try {
          await expect(transcription).rejects.toBeInstanceOf(Aborted);
        } finally {
          clearTimeout(timer);
        }
        expect(performance.now() - abortedAt).toBeLessThan(1000);
        record(`aborted with ${running.length} child process(es) running; none left`);
        expect(await whenGone(running)).toEqual([]);
        expect(await whenGone(ours().map((p) => p.pid))).toEqual([]);
      });

      it('rejects with Aborted when the signal fired before the call', async () => {
        const controller = new AbortController();
        controller.abort({ kind: 'shutdown' });
        await expect(
          engine(SHORT_WINDOW).transcribe(threeSentences, { signal: controller.signal }),
        ).rejects.toBeInstanceOf(Aborted);
      });
    });

    describe('files that are not audio', () => {
      const signal = () => new AbortController().signal;

      it('reports a missing file as FileMissing', async () => {
        await expect(
          engine(SHORT_WINDOW).transcribe(file('missing.wav'), { signal: signal() }),
        ).rejects.toBeInstanceOf(FileMissing);
      });

      it('reports a zero-byte file as UnreadableAudio', async () => {
        writeFileSync(file('empty.wav'), '');
        await expect(
          engine(SHORT_WINDOW).transcribe(file('empty.wav'), { signal: signal() }),
        ).rejects.toBeInstanceOf(UnreadableAudio);
      });

      if (!options.hearsAudio) return;

      const first = () => sentenceFiles[0] ?? '';
      const unreadable: Array<[string, () => string, RegExp]> = [
        [
          'text under an audio name',
          () => {
            writeFileSync(file('note.mp3'), 'buy milk\n');
            return file('note.mp3');
          },
          /text/,
        ],
        ['random bytes', () => randomBytesFile(file('random.ogg'), 30_000), /not audio/],
        ['a wav with a destroyed header', () => corruptHeader(first(), file('corrupt.wav')), /not audio/],
        ['an image', () => pngImage(file('image.m4a')), /no audio stream/],
        [
          'a truncated m4a',
          () => truncateFile(convert(first(), file('s.m4a')), file('cut.m4a'), 0.5),
          /truncated/,
        ],
        [
          'a truncated flac',
          () => truncateFile(convert(first(), file('s.flac')), file('cut.flac'), 0.5),
          /truncated/,
        ],
        ['a truncated wav', () => truncateFile(first(), file('cut.wav'), 0.5), /truncated/],
      ];
      it.each(unreadable)(
        'reports %s as UnreadableAudio saying what is wrong',
        async (_what, make, message) => {
          const error = await engine(SHORT_WINDOW)
            .transcribe(make(), { signal: signal() })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(UnreadableAudio);
          expect((error as Error).message).toMatch(message);
        },
      );
    });

    if (!options.hearsAudio) return;

    describe('no speech', () => {
      const sources: Array<[string, string, number]> = [
        ['silence', 'anullsrc=r=16000:cl=mono', 20],
        ['white noise', 'anoisesrc=c=white:a=0.3:r=44100:seed=11', 10],
        ['brown noise', 'anoisesrc=c=brown:a=0.8:r=44100:seed=12', 10],
      ];
      it.each(sources)('gives an empty transcript for %s', async (what, source, seconds) => {
        const path = synthesize(source, seconds, file(`${what.replace(' ', '-')}.wav`));
        const { transcript, progress } = await transcribe(engine(LONG_WINDOW), path);
        expect(transcript.text).toBe('');
        expect(transcript.segments).toEqual([]);
        expect(transcript.duration).toBeCloseTo(seconds, 1);
        expectRisingToOne(progress);
      });
    });

    describe('formats', () => {
      // A sentence the engines here hear perfectly as 16 kHz wav, so a worse
      // result in another format is the format's doing, not the voice's.
      const reference = SENTENCES[2];
      let baseline: string;
      let baselineSeconds: number;
      beforeAll(async () => {
        baseline = sentenceFiles[2] ?? '';
        baselineSeconds = (await decodeAll(baseline)).length / 16_000;
      });
      const formats: Array<[string, (input: string) => string]> = [
        ['wav 16 kHz mono', (input) => input],
        ['mp3 44.1 kHz stereo', (input) => convert(input, file('f.mp3'), ['-ar', '44100', '-ac', '2'])],
        ['m4a (aac) 44.1 kHz stereo', (input) => convert(input, file('f.m4a'), ['-ar', '44100', '-ac', '2'])],
        [
          'ogg (vorbis) 48 kHz stereo',
          (input) => convert(input, file('f.ogg'), ['-ar', '48000', '-ac', '2', '-c:a', 'libvorbis']),
        ],
        ['opus', (input) => convert(input, file('f.opus'))],
        ['webm (opus) as browsers record it', (input) => liveWebm(input, file('f.webm'))],
        ['flac 96 kHz 6 channels', (input) => convert(input, file('f.flac'), ['-ar', '96000', '-ac', '6'])],
      ];
      const narrowband: [string, (input: string) => string] = [
        'wav 8 kHz mono',
        (input) => convert(input, file('f8k.wav'), ['-ar', '8000']),
      ];

      async function checkFormat(
        format: string,
        make: (input: string) => string,
        judge: boolean,
      ): Promise<void> {
        const { transcript } = await transcribe(engine(LONG_WINDOW), make(baseline));
        expect(transcript.duration).toBeCloseTo(baselineSeconds, 0);
        if (options.maxWordErrorRate === undefined) return;
        const wer = wordErrorRate(reference, transcript.text);
        record(`${format}: WER ${percent(wer)}${judge ? '' : ' (not judged)'} ("${transcript.text}")`);
        if (judge) expect(wer).toBeLessThanOrEqual(options.maxFormatWordErrorRate ?? 0.34);
      }

      it.each(formats)('decodes and hears %s', (format, make) => checkFormat(format, make, true));
      if (options.hearsNarrowband === false) {
        it(`decodes ${narrowband[0]} (the engine has no narrowband model, so accuracy is only recorded)`, () =>
          checkFormat(...narrowband, false));
      } else {
        it(`decodes and hears ${narrowband[0]}`, () => checkFormat(...narrowband, true));
      }
    });

    if (options.maxWordErrorRate === undefined) return;
    const maxWordErrorRate = options.maxWordErrorRate;

    describe('accuracy', () => {
      it(`hears the eight flite sentences with a word error rate of at most ${percent(maxWordErrorRate)}`, async () => {
        const all = concatenate(sentenceFiles, file('all.wav'));
        const { transcript, seconds } = await transcribe(engine(LONG_WINDOW), all);
        const reference = SENTENCES.join(' ');
        const wer = wordErrorRate(reference, transcript.text);
        record(
          `WER ${percent(wer)} on ${reference.split(' ').length} words; ${transcript.duration.toFixed(1)} s of ` +
            `audio in ${seconds.toFixed(1)} s (real-time factor ${(seconds / transcript.duration).toFixed(2)})`,
        );
        expect(wer).toBeLessThanOrEqual(maxWordErrorRate);
      }, 60_000);
    });
  });
}
