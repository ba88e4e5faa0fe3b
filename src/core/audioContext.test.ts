import { describe, expect, it } from 'vitest';
import { AUDIO_CTX_MARGIN, audioContextFor, FULL_AUDIO_CTX, MIN_AUDIO_CTX } from './audioContext.js';

describe('audioContextFor', () => {
  it('gives a window 50 positions a second, rounded up, plus the margin', () => {
    expect(audioContextFor(10)).toBe(500 + AUDIO_CTX_MARGIN);
    expect(audioContextFor(12.01)).toBe(601 + AUDIO_CTX_MARGIN);
    expect(audioContextFor(15)).toBe(750 + AUDIO_CTX_MARGIN);
  });

  it('never goes below the floor, however short the window (or if it is empty)', () => {
    expect(audioContextFor(1)).toBe(MIN_AUDIO_CTX);
    expect(audioContextFor(0)).toBe(MIN_AUDIO_CTX);
    expect(audioContextFor(-3)).toBe(MIN_AUDIO_CTX);
    const floorSeconds = (MIN_AUDIO_CTX - AUDIO_CTX_MARGIN) / 50;
    expect(audioContextFor(floorSeconds)).toBe(MIN_AUDIO_CTX);
    expect(audioContextFor(floorSeconds + 0.02)).toBe(MIN_AUDIO_CTX + 1);
  });

  it("never asks for more than the model's context: a long window gets the full 30 seconds", () => {
    expect(audioContextFor(27.44)).toBe(FULL_AUDIO_CTX);
    expect(audioContextFor(30)).toBe(FULL_AUDIO_CTX);
    expect(audioContextFor(600)).toBe(FULL_AUDIO_CTX);
    expect(audioContextFor(10, 448)).toBe(448);
  });

  it('covers every sample of the window with a margin to spare', () => {
    for (let seconds = 0.5; seconds <= 30; seconds += 0.37) {
      const positions = audioContextFor(seconds);
      expect(positions * 0.02).toBeGreaterThanOrEqual(Math.min(30, seconds));
      expect(positions === FULL_AUDIO_CTX || positions * 0.02 >= seconds + AUDIO_CTX_MARGIN * 0.02).toBe(
        true,
      );
    }
  });
});
