import { SAMPLE_RATE } from './recognizer.js';

/**
 * Voice activity detection for a whole window: is there any speech in it?
 *
 * Speech comes in syllables, so its loudness swings by 20 dB or more within
 * a second, while silence is silent and steady noise (fans, hiss, the
 * white/pink/brown noise of a test generator) keeps a level within a few dB.
 * A window holds speech when enough of its frames stand well above the
 * window's own noise floor (and above an absolute floor, so dither and the
 * hiss of a lossy codec never count), and those loud frames are not
 * spectrally flat like a burst of hiss. Levels are measured between 250 Hz
 * and 4 kHz, where voices carry their energy, so rumble, hum and the
 * low-frequency swings of brown noise do not count.
 */

export interface SpeechAnalysis {
  /** Seconds of frames loud enough above the floor to be speech. */
  activeSeconds: number;
  /** The 10th percentile of the frame levels, dBFS. */
  floorDb: number;
  /** The 95th percentile of the frame levels, dBFS. */
  peakDb: number;
  /** Median spectral flatness (0 tonal … 1 white) of the loud frames; 1 when there are none. */
  flatness: number;
}

export interface SpeechThresholds {
  /** How far above the window's noise floor a frame must be to count. */
  aboveFloorDb: number;
  /** Frames quieter than this (dBFS in the voice band) never count. */
  absoluteFloorDb: number;
  /** Loud frames needed, in seconds. */
  minActiveSeconds: number;
  /** Loud frames flatter than this are hiss, not voice. */
  maxFlatness: number;
}

export const DEFAULT_SPEECH_THRESHOLDS: SpeechThresholds = {
  aboveFloorDb: 9,
  absoluteFloorDb: -70,
  minActiveSeconds: 0.25,
  maxFlatness: 0.4,
};

const FRAME = 512; // 32 ms at 16 kHz, a power of two for the FFT
const SILENT_DB = -120;
const LOW_BIN = Math.round((250 * FRAME) / SAMPLE_RATE);
const HIGH_BIN = Math.round((4000 * FRAME) / SAMPLE_RATE);
const HANN = Float64Array.from({ length: FRAME }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME));
/** Scales a Hann-windowed one-sided power spectrum back to the mean square of the signal (Parseval). */
const POWER_SCALE = 2 / (FRAME * HANN.reduce((sum, w) => sum + w * w, 0));

export function containsSpeech(
  samples: Float32Array,
  thresholds: SpeechThresholds = DEFAULT_SPEECH_THRESHOLDS,
): boolean {
  // A frame's voice-band level never exceeds the square of its loudest sample (Parseval), so in a
  // window whose loudest sample is under the absolute floor no frame can count: silence needs no
  // FFT. `hark transcribe` of the corpus's 3-hour file, nearly all digital silence, took 37 s here
  // before this and 25 s after; 3 dB of margin keeps the shortcut on the safe side of the analysis.
  if (
    thresholds.minActiveSeconds > 0 &&
    peakSquare(samples) < 10 ** ((thresholds.absoluteFloorDb - 3) / 10)
  ) {
    return false;
  }
  const analysis = analyseSpeech(samples, thresholds);
  return analysis.activeSeconds >= thresholds.minActiveSeconds && analysis.flatness <= thresholds.maxFlatness;
}

function peakSquare(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const square = (samples[i] ?? 0) ** 2;
    if (square > peak) peak = square;
  }
  return peak;
}

export function analyseSpeech(
  samples: Float32Array,
  thresholds: SpeechThresholds = DEFAULT_SPEECH_THRESHOLDS,
): SpeechAnalysis {
  const frameCount = Math.floor(samples.length / FRAME);
  if (frameCount === 0) return { activeSeconds: 0, floorDb: SILENT_DB, peakDb: SILENT_DB, flatness: 1 };
  const frames = Array.from({ length: frameCount }, (_, k) => voiceBand(samples, k * FRAME));
  const sorted = frames.map((frame) => frame.levelDb).sort((a, b) => a - b);
  const floorDb = percentile(sorted, 0.1);
  const threshold = Math.max(floorDb + thresholds.aboveFloorDb, thresholds.absoluteFloorDb);
  const loud = frames.filter((frame) => frame.levelDb > threshold);
  const flatnesses = loud.map((frame) => frame.flatness).sort((a, b) => a - b);
  return {
    activeSeconds: (loud.length * FRAME) / SAMPLE_RATE,
    floorDb,
    peakDb: percentile(sorted, 0.95),
    flatness: flatnesses.length > 0 ? percentile(flatnesses, 0.5) : 1,
  };
}

/**
 * Where speech starts in a window: the first sample of the first frame loud
 * enough to count as speech in analyseSpeech, or null when no frame is.
 */
export function speechOnset(
  samples: Float32Array,
  thresholds: SpeechThresholds = DEFAULT_SPEECH_THRESHOLDS,
): number | null {
  const frameCount = Math.floor(samples.length / FRAME);
  if (frameCount === 0) return null;
  const levels = Array.from({ length: frameCount }, (_, k) => voiceBand(samples, k * FRAME).levelDb);
  const floorDb = percentile(
    [...levels].sort((a, b) => a - b),
    0.1,
  );
  const threshold = Math.max(floorDb + thresholds.aboveFloorDb, thresholds.absoluteFloorDb);
  const first = levels.findIndex((level) => level > threshold);
  return first < 0 ? null : first * FRAME;
}

/**
 * Which frames of a window count as speech, by the same rule as analyseSpeech:
 * louder in the voice band than the window's noise floor plus `aboveFloorDb`,
 * and than the absolute floor. `frameSeconds` is each flag's length.
 */
export function speechFrames(
  samples: Float32Array,
  thresholds: SpeechThresholds = DEFAULT_SPEECH_THRESHOLDS,
): { frameSeconds: number; loud: boolean[] } {
  const frameCount = Math.floor(samples.length / FRAME);
  const levels = Array.from({ length: frameCount }, (_, k) => voiceBand(samples, k * FRAME).levelDb);
  const floorDb = percentile(
    [...levels].sort((a, b) => a - b),
    0.1,
  );
  const threshold = Math.max(floorDb + thresholds.aboveFloorDb, thresholds.absoluteFloorDb);
  return { frameSeconds: FRAME / SAMPLE_RATE, loud: levels.map((level) => level > threshold) };
}

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.floor(fraction * (sorted.length - 1))));
  return sorted[index] ?? SILENT_DB;
}

interface BandFrame {
  /** Mean square of the frame's 250 Hz – 4 kHz content, dBFS. */
  levelDb: number;
  /**
   * Geometric over arithmetic mean of the band's power spectrum: near 0.5
   * for white noise, far lower for a voiced sound with its harmonics.
   */
  flatness: number;
}

/**
 * The FFT's buffers, reused by every frame: a 3-hour file has 340,000
 * frames, and two fresh buffers for each made voice detection a third
 * slower (15 s against 10 s of CPU on the corpus's 3-hour file).
 */
const REAL = new Float64Array(FRAME);
const IMAGINARY = new Float64Array(FRAME);

function voiceBand(samples: Float32Array, start: number): BandFrame {
  const real = REAL;
  const imaginary = IMAGINARY;
  imaginary.fill(0);
  for (let i = 0; i < FRAME; i++) real[i] = (samples[start + i] ?? 0) * (HANN[i] ?? 0);
  fft(real, imaginary);
  let logSum = 0;
  let sum = 0;
  for (let bin = LOW_BIN; bin <= HIGH_BIN; bin++) {
    const power = (real[bin] ?? 0) ** 2 + (imaginary[bin] ?? 0) ** 2 + 1e-20;
    logSum += Math.log(power);
    sum += power;
  }
  const bins = HIGH_BIN - LOW_BIN + 1;
  const meanSquare = sum * POWER_SCALE;
  return {
    levelDb: meanSquare > 1e-12 ? Math.max(SILENT_DB, 10 * Math.log10(meanSquare)) : SILENT_DB,
    flatness: Math.exp(logSum / bins) / (sum / bins),
  };
}

const COS = Float64Array.from({ length: FRAME / 2 }, (_, k) => Math.cos((-2 * Math.PI * k) / FRAME));
const SIN = Float64Array.from({ length: FRAME / 2 }, (_, k) => Math.sin((-2 * Math.PI * k) / FRAME));

/** In-place iterative radix-2 FFT of FRAME points. */
function fft(real: Float64Array, imaginary: Float64Array): void {
  const n = FRAME;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      swap(real, i, j);
      swap(imaginary, i, j);
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const cos = COS[k * step] ?? 1;
        const sin = SIN[k * step] ?? 0;
        const a = start + k;
        const b = a + half;
        const re = (real[b] ?? 0) * cos - (imaginary[b] ?? 0) * sin;
        const im = (real[b] ?? 0) * sin + (imaginary[b] ?? 0) * cos;
        real[b] = (real[a] ?? 0) - re;
        imaginary[b] = (imaginary[a] ?? 0) - im;
        real[a] = (real[a] ?? 0) + re;
        imaginary[a] = (imaginary[a] ?? 0) + im;
      }
    }
  }
}

function swap(values: Float64Array, i: number, j: number): void {
  const held = values[i] ?? 0;
  values[i] = values[j] ?? 0;
  values[j] = held;
}
