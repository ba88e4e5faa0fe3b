import { SAMPLE_RATE } from './recognizer.js';

export interface WindowOptions {
  /** The longest a window may be; a window with no quiet moment is cut here. Default 30. */
  windowSeconds?: number;
  /** How far before the longest length to look for the quietest moment to cut at. Default 5, or a third of a short window. */
  searchSeconds?: number;
  /** The length of the frames whose loudness is compared. Default 0.1. */
  frameSeconds?: number;
}

export interface AudioWindow {
  samples: Float32Array;
  /** Seconds from the start of the stream (not of the file, when decoding began at an offset). */
  start: number;
  end: number;
  /** No audio follows this window. */
  final: boolean;
}

/**
 * Cuts a stream of 16 kHz samples into windows of at most `windowSeconds`,
 * each ended at the quietest frame of its last `searchSeconds`, so that
 * words are rarely split between windows.
 *
 * Where a window ends depends only on the samples from its own start, so
 * decoding again from any window's start (resuming after a checkpoint)
 * reproduces the same later windows. Only one window is held in memory.
 */
export async function* windowsOf(
  stream: AsyncIterable<Float32Array>,
  options: WindowOptions = {},
): AsyncGenerator<AudioWindow> {
  const frame = Math.max(1, Math.round((options.frameSeconds ?? 0.1) * SAMPLE_RATE));
  const longest = Math.max(frame, Math.round((options.windowSeconds ?? 30) * SAMPLE_RATE));
  const searchSeconds = options.searchSeconds ?? Math.min(5, (options.windowSeconds ?? 30) / 3);
  const search = Math.min(longest, Math.round(searchSeconds * SAMPLE_RATE));
  const buffer = new SampleBuffer(longest);
  let emitted = 0;
  for await (const samples of stream) {
    buffer.append(samples);
    // Cut only once audio is known to continue past the longest window.
    while (buffer.length > longest) {
      const cut = quietestCut(buffer.view(), longest - search, longest, frame);
      const window = buffer.take(cut);
      yield {
        samples: window,
        start: emitted / SAMPLE_RATE,
        end: (emitted + cut) / SAMPLE_RATE,
        final: false,
      };
      emitted += cut;
    }
  }
  if (buffer.length > 0) {
    const rest = buffer.take(buffer.length);
    yield {
      samples: rest,
      start: emitted / SAMPLE_RATE,
      end: (emitted + rest.length) / SAMPLE_RATE,
      final: true,
    };
  }
}

/**
 * The sample index at which to end a window: the middle of the quietest
 * `frame` (frames counted from the window's start) lying in [from, to).
 * Each frame's loudness is smoothed with its neighbours so the cut lands
 * inside a pause rather than at its edge; of equally quiet frames the last
 * is taken, keeping windows long. With no whole frame in range, cuts at `to`.
 */
export function quietestCut(samples: Float32Array, from: number, to: number, frame: number): number {
  const first = Math.ceil(Math.max(0, from) / frame);
  const last = Math.floor(to / frame) - 1;
  if (last < first) return to;
  const energies: number[] = [];
  for (let k = first; k <= last; k++) energies.push(frameEnergy(samples, k * frame, frame));
  let best = first;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let i = 0; i < energies.length; i++) {
    const score =
      (energies[i - 1] ?? energies[i] ?? 0) + (energies[i] ?? 0) + (energies[i + 1] ?? energies[i] ?? 0);
    if (score <= bestScore) {
      bestScore = score;
      best = first + i;
    }
  }
  return best * frame + Math.floor(frame / 2);
}

function frameEnergy(samples: Float32Array, start: number, length: number): number {
  let sum = 0;
  for (let i = start; i < start + length; i++) {
    const sample = samples[i] ?? 0;
    sum += sample * sample;
  }
  return sum;
}

/** A growable run of samples that windows are taken from the front of. */
class SampleBuffer {
  private data: Float32Array;
  length = 0;

  constructor(initialCapacity: number) {
    this.data = new Float32Array(initialCapacity);
  }

  append(samples: Float32Array): void {
    if (this.length + samples.length > this.data.length) {
      const grown = new Float32Array(Math.max(this.length + samples.length, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(samples, this.length);
    this.length += samples.length;
  }

  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }

  /** Removes and returns the first `count` samples. */
  take(count: number): Float32Array {
    const taken = this.data.slice(0, count);
    this.data.copyWithin(0, count, this.length);
    this.length -= count;
    return taken;
  }
}
