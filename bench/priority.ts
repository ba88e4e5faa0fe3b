/**
 * User-first benchmarks (issue 5), in one run:
 *   npx tsx bench/priority.ts [pocketsphinx|whisper]...   (default: both)
 * - the time a recording takes to transcribe after the user stops, while the
 *   background queue is busy, against the same on an idle app;
 * - audio heard twice after a pre-emption: the resumed call must start at the
 *   last checkpoint, so at most the window in flight is heard again.
 */
import { copyFileSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { HarkApp } from '../src/app/harkApp.js';
import type { ChunkResult, TranscribeOptions, TranscriptionEngine } from '../src/core/engine.js';
import { resolveConfig } from '../src/services/config.js';
import { silentLog } from '../src/services/log.js';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { PocketsphinxRecognizer } from '../src/transcription/pocketsphinx.js';
import { WhisperRecognizer } from '../src/transcription/whisper/whisperRecognizer.js';
import { multipart } from '../tests/helpers/multipart.js';
import { concatenate, SENTENCES, speak } from '../tests/helpers/speech.js';
import { writeGgmlModel } from '../tests/helpers/whisperModel/ggmlModel.js';
import { machine, median, printTable, type Row, scratch } from './lib.js';

const RECORDINGS = 5;
/** How long the user "speaks" between pressing Record and Stop. */
const SPEAKING_MS = 1500;

/** Notes every call's start position and every chunk, to see what is heard twice. */
class WatchedEngine implements TranscriptionEngine {
  readonly calls: { file: string; startAt: number; chunks: ChunkResult[]; aborted: boolean }[] = [];
  constructor(private readonly inner: TranscriptionEngine) {}
  get name() {
    return this.inner.name;
  }
  async transcribe(path: string, options: TranscribeOptions) {
    const call = { file: path, startAt: options.startAt ?? 0, chunks: [] as ChunkResult[], aborted: false };
    this.calls.push(call);
    try {
      return await this.inner.transcribe(path, {
        ...options,
        onChunk: async (chunk) => {
          call.chunks.push(chunk);
          await options.onChunk?.(chunk);
        },
      });
    } catch (error) {
      call.aborted = options.signal.aborted;
      throw error;
    }
  }
  prewarm() {
    return this.inner.prewarm?.() ?? Promise.resolve();
  }
  dispose() {
    return this.inner.dispose();
  }
}

async function scenario(
  name: string,
  makeEngine: () => TranscriptionEngine,
  dir: string,
  long: string,
  voice: Buffer,
) {
  const measure = async (busy: boolean) => {
    const root = join(dir, `${name}-${busy ? 'busy' : 'idle'}`);
    const notes = join(root, 'notes');
    mkdirSync(notes, { recursive: true });
    if (busy) {
      const minuteAgo = Date.now() / 1000 - 60;
      for (let i = 0; i < 4; i++) {
        copyFileSync(long, join(notes, `lecture-${i}.wav`));
        utimesSync(join(notes, `lecture-${i}.wav`), minuteAgo, minuteAgo);
      }
    }
    const engine = new WatchedEngine(makeEngine());
    const app = await HarkApp.start(resolveConfig({ notes, data: join(root, 'data'), port: '0' }, {}), {
      log: silentLog,
      serve: true,
      watch: false,
      engine,
      // The bench's own requests carry no credential: it measures the queue, not the sign-in.
      auth: false,
    });
    const url = app.url ?? '';
    const times: number[] = [];
    try {
      for (let i = 0; i < RECORDINGS; i++) {
        if (busy) {
          // Wait until background work is really under way (a window heard) before recording.
          const committed = engine.calls.flatMap((c) => c.chunks).length;
          await app.services.events.waitFor(
            'task-update',
            () => engine.calls.flatMap((c) => c.chunks).length > committed,
          );
        }
        await fetch(`${url}/api/recordings/start`, { method: 'POST' });
        await new Promise((resolve) => setTimeout(resolve, SPEAKING_MS));
        const body = multipart([
          { field: 'file', filename: 'blob', contentType: 'audio/wav', content: voice },
        ]);
        const started = performance.now();
        const response = await fetch(`${url}/api/recordings`, {
          method: 'POST',
          headers: body.headers,
          body: body.payload,
        });
        if (response.status !== 201)
          throw new Error(`upload answered ${response.status}: ${await response.text()}`);
        times.push(performance.now() - started);
      }
    } finally {
      await app.stop();
    }
    return { times, engine };
  };
  const idle = await measure(false);
  const busy = await measure(true);
  // Every pre-empted call; the next call on the same file must start at its last committed chunk.
  const repeats: number[] = [];
  let resumedAtCheckpoint = true;
  const calls = busy.engine.calls;
  calls.forEach((call, i) => {
    if (!call.aborted) return;
    const checkpoint = call.chunks.at(-1)?.end ?? call.startAt;
    const next = calls.slice(i + 1).find((c) => c.file === call.file);
    if (!next) return;
    if (Math.abs(next.startAt - checkpoint) > 1e-6) resumedAtCheckpoint = false;
    // What the aborted call was hearing when it stopped is heard again: at most the window in flight.
    const firstAfter = next.chunks[0];
    if (firstAfter) repeats.push(firstAfter.end - firstAfter.start);
  });
  return { idle: idle.times, busy: busy.times, repeats, resumedAtCheckpoint };
}

const dir = scratch('hark-bench-priority-');
const wanted = process.argv.slice(2);
const rows: Row[] = [];
try {
  const spoken = SENTENCES.map((text, i) => speak(text, join(dir.path, `s${i}.wav`)));
  const long = concatenate([...spoken, ...spoken, ...spoken, ...spoken], join(dir.path, 'long.wav'), 0.8);
  const voice = readFileSync(
    speak('remember to call the dentist about the appointment on friday', join(dir.path, 'v.wav')),
  );
  const engines: [string, () => TranscriptionEngine][] = [
    ['pocketsphinx', () => new ChunkedEngine(new PocketsphinxRecognizer())],
    [
      'whisper',
      (() => {
        const model = writeGgmlModel(join(dir.path, 'ggml-tiny.en.bin'), { preset: 'tiny' });
        return () => new ChunkedEngine(new WhisperRecognizer({ modelPath: model }));
      })(),
    ],
  ];
  for (const [name, make] of engines) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const result = await scenario(name, make, dir.path, long, voice);
    const ratio = median(result.busy) / median(result.idle);
    rows.push({
      benchmark: `${name}: a recording's transcription after Stop, background busy vs idle (${RECORDINGS} each)`,
      hark: `${(median(result.busy) / 1000).toFixed(2)} s busy (max ${(Math.max(...result.busy) / 1000).toFixed(2)} s)`,
      baseline: `${(median(result.idle) / 1000).toFixed(2)} s idle`,
      ratio: `${ratio.toFixed(2)}×`,
      target: '≤ 1.1×',
      met: ratio <= 1.1,
    });
    rows.push({
      benchmark: `${name}: audio heard again after each of ${result.repeats.length} pre-emptions`,
      hark: result.repeats.length ? `at most ${Math.max(...result.repeats).toFixed(1)} s` : 'none measured',
      baseline: 'one window (30 s)',
      ratio: '',
      target: '≤ one chunk, resumed at the checkpoint',
      met: result.resumedAtCheckpoint && result.repeats.every((s) => s <= 30.001),
    });
  }
} finally {
  dir.remove();
}
printTable('Recording-first benchmarks', rows);
console.log(`\n(${machine()})`);
