import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { requireFfmpeg } from '../../src/transcription/ffmpegPath.js';

/**
 * Known sentences for real-audio tests. Debian's `flite -voice kal16` speaks
 * them clearly enough that pocketsphinx hears them at about 10 % WER (9.6 %
 * over all eight with 30 s windows, measured here).
 */
export const SENTENCES = [
  'the quick brown fox jumps over the lazy dog',
  'please call stella and ask her to bring these things with her from the store',
  'remember to water the plants on the balcony every morning',
  'the meeting with the design team moved to thursday afternoon',
  'we need more coffee filters and a new kettle for the kitchen',
  'my flight lands at seven in the evening so pick me up at the airport',
  'the weather today is cold and windy with rain in the afternoon',
  'write down the name of the book that maria recommended yesterday',
] as const;

export function hasFlite(): boolean {
  return existsSync('/usr/bin/flite');
}

/** Speaks `text` into a 16 kHz mono wav with flite's kal16 voice. */
export function speak(text: string, wavPath: string): string {
  mkdirSync(dirname(wavPath), { recursive: true });
  execFileSync('flite', ['-voice', 'kal16', '-t', text, '-o', wavPath], { stdio: 'ignore' });
  return wavPath;
}

/** Runs ffmpeg with `args` between input and output (e.g. ['-ar', '44100', '-ac', '2']). */
export function convert(input: string, output: string, args: string[] = []): string {
  mkdirSync(dirname(output), { recursive: true });
  execFileSync(requireFfmpeg(), ['-nostdin', '-loglevel', 'error', '-y', '-i', input, ...args, output], {
    stdio: 'ignore',
  });
  return output;
}

/** Concatenates audio files (any formats) into one 16 kHz mono wav, with `gapSeconds` of silence after each. */
export function concatenate(inputs: string[], output: string, gapSeconds = 0.6): string {
  mkdirSync(dirname(output), { recursive: true });
  const args = ['-nostdin', '-loglevel', 'error', '-y'];
  for (const input of inputs) args.push('-i', input);
  // One silent input, split for every gap (the 2018 ffmpeg in npm has no apad=pad_dur).
  args.push('-f', 'lavfi', '-t', String(gapSeconds), '-i', 'anullsrc=r=16000:cl=mono');
  const n = inputs.length;
  const filters = [`[${n}:a]asplit=${n}${inputs.map((_, i) => `[g${i}]`).join('')}`];
  const parts: string[] = [];
  inputs.forEach((_, i) => {
    filters.push(`[${i}:a]aresample=16000,aformat=sample_fmts=s16:channel_layouts=mono[a${i}]`);
    filters.push(`[g${i}]aformat=sample_fmts=s16:channel_layouts=mono[s${i}]`);
    parts.push(`[a${i}][s${i}]`);
  });
  filters.push(`${parts.join('')}concat=n=${n * 2}:v=0:a=1[out]`);
  args.push('-filter_complex', filters.join(';'), '-map', '[out]', '-ar', '16000', '-ac', '1', output);
  execFileSync(requireFfmpeg(), args, { stdio: 'ignore' });
  return output;
}

/** Generates audio from an lavfi source, e.g. 'anullsrc=r=16000:cl=mono' or 'anoisesrc=d=5:c=white'. */
export function synthesize(source: string, seconds: number, output: string, args: string[] = []): string {
  mkdirSync(dirname(output), { recursive: true });
  execFileSync(
    requireFfmpeg(),
    [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      source,
      '-t',
      String(seconds),
      ...args,
      output,
    ],
    { stdio: 'ignore' },
  );
  return output;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Word error rate: word-level edit distance over the reference's length. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = words(reference);
  const hyp = words(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return (previous[hyp.length] ?? 0) / ref.length;
}
