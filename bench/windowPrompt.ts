/**
 * What the window prompt costs: the same 30-second window decoded by whisper
 * on a synthetic model of a real shape (real compute, gibberish words), with
 * no prompt and with a 200-character one (PROMPT_CAP_CHARS, about 50 tokens
 * more for the decoder to read before it writes), alternately.
 *
 *   npx tsx bench/windowPrompt.ts [test|tiny|base] [threads] [pairs]
 *
 * Prints one JSON line per mode: each window's inference time and how many
 * words it wrote (with random weights the output's length is noise, and
 * decoding time follows it, so the words are printed beside the times),
 * and the load average.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMPT_CAP_CHARS } from '../src/core/windowPrompt.js';
import { WhisperRecognizer } from '../src/transcription/whisper/whisperRecognizer.js';
import { type GgmlPreset, writeGgmlModel } from '../tests/helpers/whisperModel/ggmlModel.js';
import { median } from './lib.js';

const preset = (process.argv[2] ?? 'base') as GgmlPreset;
const threads = Number(process.argv[3] ?? availableParallelism());
const pairs = Number(process.argv[4] ?? 3);

const words = 'please call stella and ask her to bring these things with her from the store'.split(' ');
const prompt = Array.from({ length: 40 }, (_, i) => words[i % words.length]).join(' ');
const capped = prompt.slice(prompt.length - PROMPT_CAP_CHARS).replace(/^\S*\s/, '');

const dir = mkdtempSync(join(tmpdir(), 'hark-bench-'));
try {
  const modelPath = writeGgmlModel(join(dir, `ggml-${preset}.en.bin`), { preset });
  const whisper = new WhisperRecognizer({ modelPath, threads });
  const times: number[] = [];
  whisper.on('window', (window) => times.push(window.inferenceMs));
  await whisper.prewarm();
  const window = Float32Array.from({ length: 30 * 16_000 }, (_, i) => 0.3 * Math.sin(i * (0.08 + i * 1e-8)));
  const results = {
    none: { ms: [] as number[], words: [] as number[] },
    prompt: { ms: [] as number[], words: [] as number[] },
  };
  for (let i = 0; i < pairs * 2; i++) {
    const mode = i % 2 === 0 ? 'none' : 'prompt';
    const segments = await whisper.recognize(window, {
      signal: new AbortController().signal,
      ...(mode === 'prompt' ? { prompt: { text: capped, language: 'en' } } : {}),
    });
    results[mode].ms.push(Math.round(times.at(-1) ?? 0));
    results[mode].words.push(segments.reduce((sum, segment) => sum + segment.text.split(/\s+/).length, 0));
    // As it goes, so that a run cut short still says something.
    console.error(JSON.stringify({ mode, ms: results[mode].ms.at(-1), words: results[mode].words.at(-1) }));
  }
  await whisper.dispose();
  for (const [mode, { ms, words: written }] of Object.entries(results)) {
    console.log(
      JSON.stringify({
        preset,
        threads,
        mode,
        promptChars: mode === 'prompt' ? capped.length : 0,
        inferenceMs: ms,
        medianMs: median(ms),
        words: written,
        loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
      }),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
