import { describe, expect, it } from 'vitest';
import type { Segment } from '../../core/types.js';
import { SAMPLE_RATE } from '../recognizer.js';
import { dropSilentSegments } from './silentSegments.js';

/** `seconds` of audio: a voiced, syllable-like sound between `from` and `to`, and `floor` (a faint hiss) or silence elsewhere. */
function window(seconds: number, voiced: [from: number, to: number][], floor = 0): Float32Array {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 30 - 1;
  };
  return Float32Array.from({ length: Math.round(seconds * SAMPLE_RATE) }, (_, i) => {
    const t = i / SAMPLE_RATE;
    const inVoice = voiced.some(([from, to]) => t >= from && t < to);
    const voice = inVoice
      ? 0.2 *
        (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)) *
        (Math.sin(2 * Math.PI * 180 * t) +
          0.5 * Math.sin(2 * Math.PI * 360 * t) +
          0.3 * Math.sin(2 * Math.PI * 720 * t))
      : 0;
    return voice + floor * noise();
  });
}

const segment = (start: number, end: number, text: string): Segment => ({ start, end, text });

describe('dropSilentSegments', () => {
  it('drops text stamped over digital silence after the speech, and keeps the speech', () => {
    const samples = window(20, [[1, 6]]);
    const kept = dropSilentSegments(samples, [
      segment(1, 6, 'What was said.'),
      segment(12, 14, 'Thank you for watching.'),
    ]);
    expect(kept.map((s) => s.text)).toEqual(['What was said.']);
  });

  it('drops text over a quiet room tone (a noise floor, no voice) too', () => {
    const samples = window(20, [[2, 5]], 0.003);
    const kept = dropSilentSegments(samples, [segment(2, 5, 'Words.'), segment(15, 19, 'you')]);
    expect(kept.map((s) => s.text)).toEqual(['Words.']);
  });

  it('keeps a segment whose stamp is a little off the voice it belongs to', () => {
    const samples = window(10, [[3, 4]]);
    expect(dropSilentSegments(samples, [segment(4.2, 5, 'late stamp')])).toHaveLength(1);
    expect(dropSilentSegments(samples, [segment(2.1, 2.7, 'early stamp')])).toHaveLength(1);
  });

  it('keeps a segment with any voice in its range, however little', () => {
    const samples = window(10, [[7, 7.3]]);
    expect(dropSilentSegments(samples, [segment(1, 9, 'long segment, short word')])).toHaveLength(1);
  });

  it('drops everything in a window of silence, and leaves no segments as none', () => {
    expect(dropSilentSegments(window(5, []), [segment(0, 5, 'hallucination')])).toEqual([]);
    expect(dropSilentSegments(window(5, [[0, 5]]), [])).toEqual([]);
  });
});
