import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAll, lazySuiteDir, mixFiles } from '../../tests/helpers/audioFiles.js';
import { concatenate, convert, SENTENCES, speak, synthesize } from '../../tests/helpers/speech.js';
import { analyseSpeech, containsSpeech } from './vad.js';

const folder = lazySuiteDir('hark-vad-');
const file = (name: string) => join(folder.path, name);
let speech: string;

beforeAll(() => {
  const sentences = SENTENCES.slice(0, 3).map((text, i) => speak(text, file(`s${i}.wav`)));
  speech = concatenate(sentences, file('speech.wav'));
});
afterAll(() => folder.remove());

async function heard(path: string): Promise<boolean> {
  return containsSpeech(await decodeAll(path));
}

describe('containsSpeech', () => {
  it('hears flite speech', async () => {
    expect(await heard(speech)).toBe(true);
  });

  it.each([20, 30])('hears speech %i dB quieter', async (db) => {
    expect(await heard(convert(speech, file(`quiet${db}.wav`), ['-af', `volume=-${db}dB`]))).toBe(true);
  });

  it('hears speech through lossy codecs', async () => {
    expect(await heard(convert(speech, file('speech.opus'), ['-b:a', '16k']))).toBe(true);
    expect(await heard(convert(speech, file('speech.mp3'), ['-b:a', '32k']))).toBe(true);
  });

  it('hears speech over steady noise about 12 dB below it', async () => {
    const noise = synthesize('anoisesrc=c=pink:a=0.5:r=16000:seed=3', 15, file('pink-bed.wav'));
    // While it talks flite averages about -28 dBFS; this noise turned down 20 dB averages about -40 dBFS.
    expect(await heard(mixFiles(speech, noise, file('noisy.wav'), -20))).toBe(true);
  });

  it('hears a single short word', async () => {
    const word = speak('hello', file('hello.wav'));
    expect(await heard(word)).toBe(true);
  });

  it('hears nothing in digital silence or in a file too short to judge', async () => {
    expect(await heard(synthesize('anullsrc=r=16000:cl=mono', 30, file('silence.wav')))).toBe(false);
    expect(containsSpeech(new Float32Array(100))).toBe(false);
  });

  it.each(['white', 'pink', 'brown'])('hears no speech in %s noise, loud or faint', async (color) => {
    for (const amplitude of [1, 0.1, 0.001]) {
      const noise = synthesize(
        `anoisesrc=c=${color}:a=${amplitude}:r=44100:seed=7`,
        30,
        file(`${color}.wav`),
      );
      const samples = await decodeAll(noise);
      expect({ amplitude, speech: containsSpeech(samples) }).toEqual({ amplitude, speech: false });
      // And not narrowly: not one frame of the noise stands out as speech would.
      expect(analyseSpeech(samples).activeSeconds).toBe(0);
    }
  });

  it('agrees with the full analysis near the absolute floor, where silence skips it', () => {
    // A 200 Hz buzz with harmonics in 0.2 s bursts: syllables, as far as the level test goes.
    const bursts = (peakDb: number) =>
      Float32Array.from({ length: 16000 * 3 }, (_, i) =>
        Math.floor(i / 3200) % 2 === 0
          ? 10 ** (peakDb / 20) * Math.sign(Math.sin((2 * Math.PI * 200 * i) / 16000))
          : 0,
      );
    for (const [peakDb, speech] of [
      [-50, true],
      [-62, true],
      [-74, false],
      [-90, false],
    ] as const) {
      const samples = bursts(peakDb);
      expect({ peakDb, speech: containsSpeech(samples) }).toEqual({ peakDb, speech });
      expect(analyseSpeech(samples).activeSeconds > 0).toBe(speech);
    }
  });

  it('hears no speech in a steady tone or mains hum', async () => {
    expect(await heard(synthesize('sine=f=1000:r=16000', 10, file('tone.wav')))).toBe(false);
    expect(await heard(synthesize('sine=f=50:r=16000', 10, file('hum.wav'), ['-af', 'volume=0.5']))).toBe(
      false,
    );
  });
});
