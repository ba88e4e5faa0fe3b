import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AudioWindow, quietestCut, windowsOf } from './chunker.js';

const RATE = 16_000;

/** Loud "speech" (deterministic pseudo-noise) with silent gaps at the given [start, end) seconds. */
function speechWithGaps(
  seconds: number,
  gaps: ReadonlyArray<readonly [number, number]>,
  seed = 1,
): Float32Array {
  const samples = new Float32Array(Math.round(seconds * RATE));
  let state = seed;
  for (let i = 0; i < samples.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const t = i / RATE;
    const silent = gaps.some(([from, to]) => t >= from && t < to);
    samples[i] = silent ? 0 : (state / 2 ** 32 - 0.5) * 0.5;
  }
  return samples;
}

/** Feeds the samples as a stream in pieces of the given sizes (cycled). */
async function* pieces(samples: Float32Array, sizes: readonly number[]): AsyncGenerator<Float32Array> {
  let offset = 0;
  for (let i = 0; offset < samples.length; i++) {
    const size = sizes[i % sizes.length] ?? 4096;
    yield samples.slice(offset, offset + size);
    offset += size;
  }
}

async function windows(
  samples: Float32Array,
  options: Parameters<typeof windowsOf>[1],
  sizes: readonly number[] = [16384],
): Promise<AudioWindow[]> {
  const result: AudioWindow[] = [];
  for await (const window of windowsOf(pieces(samples, sizes), options)) result.push(window);
  return result;
}

describe('windowsOf', () => {
  it('cuts inside the silent gap near the end of each window', async () => {
    const audio = speechWithGaps(70, [
      [27.0, 27.6],
      [55.2, 55.8],
    ]);
    const result = await windows(audio, { windowSeconds: 30, searchSeconds: 5 });
    expect(result.map((w) => w.end)).toHaveLength(3);
    expect(result[0]?.end).toBeGreaterThan(27.0);
    expect(result[0]?.end).toBeLessThan(27.6);
    expect(result[1]?.end).toBeGreaterThan(55.2);
    expect(result[1]?.end).toBeLessThan(55.8);
    expect(result[2]).toMatchObject({ end: 70, final: true });
  });

  it('hard-cuts at the longest length when no quiet moment falls in the search range', async () => {
    const audio = speechWithGaps(40, [[10, 11]]);
    const [first] = await windows(audio, { windowSeconds: 30, searchSeconds: 5 });
    expect(first?.end).toBeGreaterThanOrEqual(25);
    expect(first?.end).toBeLessThanOrEqual(30);
  });

  it('gives a file shorter than a window as one final window', async () => {
    const result = await windows(speechWithGaps(12, []), { windowSeconds: 30 });
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ start: 0, end: 12, final: true });
    expect(result[0]?.samples).toHaveLength(12 * RATE);
  });

  it('gives nothing for an empty stream', async () => {
    expect(await windows(new Float32Array(0), {})).toEqual([]);
  });

  it('covers the stream exactly, in order, with windows no longer than the longest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 1000 }),
        async (seconds, sizes, seed) => {
          const audio = speechWithGaps(seconds, [[seconds / 3, seconds / 3 + 0.5]], seed);
          const result = await windows(audio, { windowSeconds: 6, searchSeconds: 2 }, sizes);
          let expectedStart = 0;
          for (const window of result) {
            expect(window.start).toBeCloseTo(expectedStart, 9);
            expect(window.samples.length).toBeLessThanOrEqual(6 * RATE);
            expect(window.end - window.start).toBeCloseTo(window.samples.length / RATE, 9);
            expectedStart = window.end;
          }
          expect(expectedStart).toBeCloseTo(seconds, 9);
          expect(result.map((w) => w.final)).toEqual(result.map((_, i) => i === result.length - 1));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('finds the same later windows when started again at any window boundary, however the stream is split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 1, max: 44, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.array(fc.integer({ min: 100, max: 30_000 }), { minLength: 1, maxLength: 4 }),
        async (gapStarts, sizes) => {
          const audio = speechWithGaps(
            45,
            gapStarts.map((start) => [start, start + 0.4] as const),
          );
          const options = { windowSeconds: 8, searchSeconds: 3 };
          const full = await windows(audio, options);
          for (const boundary of full.slice(1)) {
            const resumed = await windows(audio.subarray(Math.round(boundary.start * RATE)), options, sizes);
            const fullEnds = full.filter((w) => w.start >= boundary.start).map((w) => w.end);
            expect(resumed.map((w) => boundary.start + w.end)).toEqual(
              fullEnds.map((end) => expect.closeTo(end, 9)),
            );
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe('quietestCut', () => {
  const frame = 1600;

  it('cuts in the middle of the quietest frame of the range', () => {
    const audio = speechWithGaps(10, [[8.0, 8.3]]);
    const cut = quietestCut(audio, 5 * RATE, 10 * RATE, frame);
    expect(cut / RATE).toBeGreaterThanOrEqual(8.0);
    expect(cut / RATE).toBeLessThan(8.3);
  });

  it('cuts inside a long pause, a frame away from its edges', () => {
    const audio = speechWithGaps(10, [[6.0, 7.0]]);
    const cut = quietestCut(audio, 5 * RATE, 10 * RATE, frame) / RATE;
    expect(cut).toBeGreaterThan(6.1);
    expect(cut).toBeLessThan(6.9);
  });

  it('cuts at the end of the range when no whole frame fits in it', () => {
    expect(quietestCut(new Float32Array(1000), 100, 900, frame)).toBe(900);
  });
});
