import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concatenate, hasFlite, SENTENCES, speak, wordErrorRate } from '../../../tests/helpers/speech.js';
import { requireFfmpeg } from '../ffmpegPath.js';
import { WhisperRecognizer } from './whisperRecognizer.js';

// Needs a real whisper.cpp model (none can be downloaded here): HARK_TEST_MODEL=/path/to/ggml-base.en.bin.
const realModel = process.env.HARK_TEST_MODEL;
const dir = mkdtempSync(join(tmpdir(), 'hark-whisper-accuracy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function decode(path: string): Float32Array {
  const pcm = execFileSync(
    requireFfmpeg(),
    ['-nostdin', '-v', 'error', '-i', path, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
}

describe('WhisperRecognizer with a real model', () => {
  it.skipIf(!realModel || !hasFlite())(
    'hears synthetic speech with few word errors',
    { timeout: 120_000 },
    async () => {
      const sentences = SENTENCES.slice(0, 3);
      const wavs = sentences.map((sentence, i) => speak(sentence, join(dir, `sentence-${i}.wav`)));
      const samples = decode(concatenate(wavs, join(dir, 'window.wav')));
      const whisper = new WhisperRecognizer({ modelPath: realModel ?? '' });
      try {
        const segments = await whisper.recognize(samples, { signal: new AbortController().signal });
        const heard = segments.map((segment) => segment.text).join(' ');
        expect(wordErrorRate(sentences.join(' '), heard)).toBeLessThan(0.2);
        for (const segment of segments) expect(segment.end).toBeLessThanOrEqual(samples.length / 16_000);
      } finally {
        await whisper.dispose();
      }
    },
  );
});
