import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convert, SENTENCES, speak } from '../../tests/helpers/speech.js';
import { suiteDir } from '../../tests/helpers/tmp.js';
import { probeAudio } from './ffmpeg.js';
import { salvageAudio } from './salvage.js';

/** The first `fraction` of a file's bytes, as a crash mid-upload leaves it. */
function cutOff(source: string, target: string, fraction: number): string {
  const bytes = readFileSync(source);
  writeFileSync(target, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return target;
}

describe('salvageAudio', () => {
  const suite = suiteDir('hark-salvage-');
  afterAll(() => suite.remove());
  const dir = suite.path;
  const speech = speak(SENTENCES[0], join(dir, 'speech.wav'));

  it.each(['wav', 'webm', 'mp3', 'ogg'])(
    'makes a %s cut off half-way whole again, keeping what arrived',
    async (ext) => {
      const whole = ext === 'wav' ? speech : convert(speech, join(dir, `speech.${ext}`));
      const full = (await probeAudio(whole)).duration;
      const cut = cutOff(whole, join(dir, `cut.${ext}`), 0.5);
      if (ext === 'wav') await expect(probeAudio(cut)).rejects.toThrow(/truncated/);

      const kept = await salvageAudio(cut, ext);

      expect(kept).not.toBeNull();
      expect(kept).toBeGreaterThan(full * 0.3);
      expect(kept).toBeLessThan(full * 0.7);
      expect((await probeAudio(cut)).duration).toBeCloseTo(kept ?? 0, 1);
    },
  );

  it('leaves a file with nothing readable as it was, and says so', async () => {
    const junk = join(dir, 'junk.webm');
    writeFileSync(junk, 'not audio at all');
    expect(await salvageAudio(junk, 'webm')).toBeNull();
    expect(readFileSync(junk, 'utf8')).toBe('not audio at all');
  });
});
