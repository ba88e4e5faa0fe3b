/**
 * How fast whisper.cpp runs here: writes a synthetic model of a real model's
 * shape (its compute cost is the real one; its words are gibberish), loads it
 * in a WhisperRecognizer host and transcribes 30-second windows.
 *
 *   npx tsx bench/whisper.ts [test|tiny|base] [threads] [windows]
 *
 * Prints one JSON line: model file size, write and load times, each window's
 * inference time, the host's resident memory, and the load average (on a busy
 * machine ggml's threads wait on each other and the figures mean little).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WhisperRecognizer } from '../src/transcription/whisper/whisperRecognizer.js';
import { type GgmlPreset, writeGgmlModel } from '../tests/helpers/whisperModel/ggmlModel.js';

const preset = (process.argv[2] ?? 'tiny') as GgmlPreset;
const threads = Number(process.argv[3] ?? availableParallelism());
const windowCount = Number(process.argv[4] ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'hark-bench-'));
try {
  let started = performance.now();
  const modelPath = writeGgmlModel(join(dir, `ggml-${preset}.en.bin`), { preset });
  const writeMs = performance.now() - started;

  const whisper = new WhisperRecognizer({ modelPath, threads });
  let loadMs = 0;
  const windows: { inferenceMs: number; rssBytes: number }[] = [];
  whisper.on('load', (load) => {
    loadMs = load.loadMs;
  });
  whisper.on('window', (window) => windows.push(window));
  started = performance.now();
  await whisper.prewarm();
  const prewarmMs = performance.now() - started;

  // A rising tone: whisper pads every window to 30 s, so only the length of the window matters.
  const window = Float32Array.from({ length: 30 * 16_000 }, (_, i) => 0.3 * Math.sin(i * (0.08 + i * 1e-8)));
  for (let i = 0; i < windowCount; i++)
    await whisper.recognize(window, { signal: new AbortController().signal });
  await whisper.dispose();

  const inferenceMs = windows.map((entry) => Math.round(entry.inferenceMs));
  console.log(
    JSON.stringify({
      preset,
      threads,
      fileMB: Math.round(statSync(modelPath).size / 1e5) / 10,
      writeMs: Math.round(writeMs),
      loadMs: Math.round(loadMs),
      prewarmMs: Math.round(prewarmMs),
      inferenceMs,
      medianMs: [...inferenceMs].sort((a, b) => a - b)[Math.floor(inferenceMs.length / 2)],
      hostRssMB: Math.round((windows.at(-1)?.rssBytes ?? 0) / 1e6),
      loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
