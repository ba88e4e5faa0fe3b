import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  corruptHeader,
  decodeAll,
  lazySuiteDir,
  liveWebm,
  pngImage,
  randomBytesFile,
  truncateFile,
} from '../../tests/helpers/audioFiles.js';
import { descendants, isAlive, whenGone } from '../../tests/helpers/childProcesses.js';
import { convert, SENTENCES, speak, synthesize } from '../../tests/helpers/speech.js';
import { Aborted, FileMissing, UnreadableAudio } from '../core/errors.js';
import { decodePcm, parseProbe, probeAudio } from './ffmpeg.js';

const folder = lazySuiteDir('hark-ffmpeg-');
const file = (name: string) => join(folder.path, name);
let speech: string;
let speechSamples: Float32Array;
let long: string;

beforeAll(async () => {
  speech = speak(SENTENCES[0], file('speech.wav'));
  long = synthesize('sine=f=440:r=16000', 600, file('long.flac'));
  speechSamples = await decodeAll(speech);
});
afterAll(() => folder.remove());

async function expectUnreadable(path: string, message: RegExp): Promise<void> {
  const error = await probeAudio(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnreadableAudio);
  expect((error as Error).message).toMatch(message);
}

/** Probes and decodes the whole file as the engine does; returns what it threw, or null. */
async function decodeError(path: string): Promise<unknown> {
  const expected = await probeAudio(path);
  try {
    for await (const _ of decodePcm(path, { signal: new AbortController().signal, expected })) {
      // Drain.
    }
    return null;
  } catch (error) {
    return error;
  }
}

describe('probeAudio', () => {
  it('finds the duration and the audio stream of a wav', async () => {
    const info = await probeAudio(speech);
    expect(info.duration).toBeCloseTo(speechSamples.length / 16000, 1);
    expect(info.durationSource).toBe('header');
    expect(info.stream).toMatch(/^pcm_s16le.*, 16000 Hz, mono/);
  });

  it('scans for the duration of a webm recorded the way browsers do (no duration in its header)', async () => {
    const webm = liveWebm(speech, file('live.webm'));
    const info = await probeAudio(webm);
    expect(info.durationSource).toBe('scan');
    expect(info.duration).toBeCloseTo(speechSamples.length / 16000, 1);
  });

  it('reports a missing file as FileMissing', async () => {
    await expect(probeAudio(file('nope.wav'))).rejects.toBeInstanceOf(FileMissing);
  });

  it('says an empty file is empty', async () => {
    writeFileSync(file('empty.m4a'), '');
    await expectUnreadable(file('empty.m4a'), /empty \(0 bytes\)/);
  });

  it('says a text file with an audio name is text', async () => {
    writeFileSync(file('note.mp3'), 'Remember to buy milk.\nAnd eggs.\n');
    await expectUnreadable(file('note.mp3'), /text, not audio/);
  });

  it('says random bytes are not audio, with ffmpeg’s reason', async () => {
    await expectUnreadable(
      randomBytesFile(file('random.wav'), 20_000),
      /not audio that can be decoded \(ffmpeg: .+\)/,
    );
  });

  it('says a wav whose header is destroyed is not audio', async () => {
    await expectUnreadable(corruptHeader(speech, file('corrupt.wav')), /not audio that can be decoded/);
  });

  it('says an image has no audio stream', async () => {
    await expectUnreadable(pngImage(file('image.m4a')), /no audio stream.*image/);
  });

  it('says an m4a cut off before its index is truncated', async () => {
    const m4a = convert(speech, file('speech.m4a'));
    await expectUnreadable(truncateFile(m4a, file('cut.m4a'), 0.5), /truncated.*moov atom not found/);
  });

  it('says a wav shorter than its header declares is truncated', async () => {
    await expectUnreadable(
      truncateFile(speech, file('cut.wav'), 0.5),
      /truncated: its header declares 2\.\d s/,
    );
  });

  it('reads what ffmpeg prints about an mp3', () => {
    const lines = [
      "Input #0, mp3, from 'a.mp3':",
      'Duration: 00:01:02.50, start: 0.025057, bitrate: 128 kb/s',
      'Stream #0:0: Audio: mp3, 44100 Hz, stereo, fltp, 128 kb/s',
      'Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc), 500x500 [SAR 1:1 DAR 1:1], 90k tbr (attached pic)',
    ];
    expect(parseProbe(lines, 'a.mp3')).toEqual({
      recognised: true,
      duration: 62.5,
      estimated: false,
      audioStream: 'mp3, 44100 Hz, stereo, fltp, 128 kb/s',
      hasVideo: true,
      messages: [],
    });
  });
});

describe('decodePcm', () => {
  it('decodes 44.1 kHz stereo mp3 to 16 kHz mono of the same length', async () => {
    const mp3 = convert(speech, file('stereo.mp3'), ['-ar', '44100', '-ac', '2']);
    const samples = await decodeAll(mp3);
    expect(Math.abs(samples.length - speechSamples.length)).toBeLessThan(16000 * 0.1);
  });

  it('starts at an offset exactly where a full decode has that sample', async () => {
    const tail = await decodeAll(speech, 1.25);
    expect(tail.length).toBe(speechSamples.length - 1.25 * 16000);
    expect(Array.from(tail.subarray(0, 2000))).toEqual(Array.from(speechSamples.subarray(20000, 22000)));
  });

  it('fails a flac whose audio stops well before its declared length, with ffmpeg’s reason', async () => {
    const flac = convert(speech, file('speech.flac'));
    const error = await decodeError(truncateFile(flac, file('cut.flac'), 0.5));
    expect(error).toBeInstanceOf(UnreadableAudio);
    expect((error as Error).message).toMatch(
      /truncated or corrupt: its audio stops at 1\.\d s of the 2\.\d s .*\(ffmpeg: /,
    );
  });

  it('fails a truncated mp3 (its length is in its Xing header)', async () => {
    const mp3 = convert(speech, file('speech.mp3'));
    const error = await decodeError(truncateFile(mp3, file('cut.mp3'), 0.5));
    expect(error).toBeInstanceOf(UnreadableAudio);
    expect((error as Error).message).toMatch(/truncated or corrupt/);
  });

  it('streams: ffmpeg waits, half way through a long file, while the consumer holds a chunk', async () => {
    const stream = decodePcm(long, { signal: new AbortController().signal });
    const first = await stream.next();
    expect(first.done).toBe(false);
    const ffmpeg = descendants().filter((p) => p.command.includes('ffmpeg'));
    expect(ffmpeg).toHaveLength(1);
    // Ten minutes of floats are 38 MB; a blocked pipe holds well under 1 MB of it.
    expect(isAlive(ffmpeg[0]?.pid ?? -1)).toBe(true);
    await stream.return(undefined);
    expect(await whenGone([ffmpeg[0]?.pid ?? -1])).toEqual([]);
  });

  it('kills ffmpeg at once when aborted and throws Aborted', async () => {
    const controller = new AbortController();
    const stream = decodePcm(long, { signal: controller.signal });
    await stream.next();
    const [ffmpeg] = descendants().filter((p) => p.command.includes('ffmpeg'));
    controller.abort({ kind: 'cancelled' });
    const error = await (async () => {
      try {
        while (!(await stream.next()).done) {
          // Drain what was already in the pipe.
        }
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Aborted);
    expect(await whenGone([ffmpeg?.pid ?? -1])).toEqual([]);
  });
});
