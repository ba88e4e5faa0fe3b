import { join } from 'node:path';
import type { Segment } from '../core/types.js';
import { SAMPLE_RATE } from './recognizer.js';
import { speechOnset } from './vad.js';

// What every way of running pocketsphinx shares: the window's lead-in trim, the dither, the model's
// files and the grouping of timed words into segments.

export interface TimedWord {
  word: string;
  /** Seconds from the start of the window. */
  start: number;
  end: number;
}

/**
 * What pocketsphinx hears of a window: its lead-in trimmed (quietLeadIn) and
 * dithered (dither), with where in the window it starts, in seconds.
 */
export function windowToHear(samples: Float32Array): { heard: Float32Array; offset: number } {
  const skipped = quietLeadIn(samples);
  return { heard: dither(samples.subarray(skipped)), offset: skipped / SAMPLE_RATE };
}

/** The segments of a window's timed words, heard `offset` seconds into the window, on the window's timeline. */
export function windowSegments(words: readonly TimedWord[], offset: number, pauseSeconds = 0.6): Segment[] {
  return groupWords(words, pauseSeconds).map((segment) => ({
    ...segment,
    start: segment.start + offset,
    end: segment.end + offset,
  }));
}

/** How much of the quiet before the first speech a window keeps. */
const LEAD_IN_SECONDS = 0.5;

/**
 * The samples to drop from the start of a window: all but the last half
 * second of the quiet before speech begins. pocketsphinx estimates the noise
 * from the first frames it hears; after two seconds or more of quiet
 * (digital silence, or faint noise) at the start, the speech that follows
 * comes out as other words: the eight flite sentences, each after 2, 10 or
 * 20 s of silence, gave a WER of 92–95 %, against 16–17 % once trimmed (14 %
 * with no silence before them). Found on the corpus's 3-hour file
 * (tests/badAudioLong.test.ts), where each sentence follows minutes of
 * silence. Words keep their times in the window: the caller adds the trimmed
 * length back.
 */
export function quietLeadIn(samples: Float32Array): number {
  const onset = speechOnset(samples);
  if (onset === null) return 0;
  return Math.max(0, onset - Math.round(LEAD_IN_SECONDS * SAMPLE_RATE));
}

/** One step of a 16-bit sample, as the wav pocketsphinx reads stores it. */
const ONE_BIT = 1 / 0x8000;

/**
 * Stretches of exact digital zeros (synthesised speech, generated silence,
 * gaps a recorder pads) break pocketsphinx's log-spectrum noise estimate:
 * on flite speech cut into windows the word error rate falls from about 18 %
 * to 13 % with dither (a 16-bit step of noise, inaudible on real
 * recordings). This is pocketsphinx's own `-dither yes` (sphinxbase's
 * fe_dither adds 1 to a random quarter of the samples), done here with a
 * seed fixed per window: pocketsphinx seeds once per process, so in a
 * session (one process hearing many windows) a window's noise, and now and
 * then its words, would depend on the windows heard before it. Here the same
 * window always gives the same words, in a session or not, which resuming
 * from a checkpoint relies on.
 */
export function dither(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples);
  const random = mulberry32(1);
  for (let i = 0; i < out.length; i++) {
    if (random() < 0.25) out[i] = (out[i] ?? 0) + ONE_BIT;
  }
  return out;
}

/** A small seeded generator of numbers in [0, 1): the same seed, the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function modelArgs(modelDir: string): string[] {
  return [
    '-hmm',
    join(modelDir, 'en-us'),
    '-lm',
    join(modelDir, 'en-us.lm.bin'),
    '-dict',
    join(modelDir, 'cmudict-en-us.dict'),
  ];
}

/** Utterance and silence markers (`<s>`, `</s>`, `<sil>`) and fillers (`[NOISE]`, `++BREATH++`). */
function isMarker(word: string): boolean {
  return /^(<.*>|\[.*\]|\+\+.*\+\+|\+.*\+)$/.test(word);
}

/**
 * Groups words into segments, starting a new one at every utterance
 * boundary and every pause longer than `pauseSeconds`. Markers are dropped and
 * alternate pronunciations (`to(3)`) lose their suffix.
 */
export function groupWords(words: readonly TimedWord[], pauseSeconds: number): Segment[] {
  const segments: Segment[] = [];
  let current: { start: number; end: number; words: string[] } | null = null;
  const close = () => {
    if (current) segments.push({ start: current.start, end: current.end, text: current.words.join(' ') });
    current = null;
  };
  for (const { word, start, end } of words) {
    if (word === '<s>' || word === '</s>') close();
    if (isMarker(word)) continue;
    if (current && start - current.end > pauseSeconds) close();
    current ??= { start, end, words: [] };
    current.words.push(word.replace(/\(\d+\)$/, ''));
    current.end = end;
  }
  close();
  return segments;
}
