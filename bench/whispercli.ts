/**
 * Hark against whisper.cpp's own `whisper-cli` (issue 14), in the same run, on
 * the same files, model and threads:
 *
 *   npx tsx bench/whispercli.ts [short notes] [long files] [minutes each, or a range: 5-20] [threads]   (default 40 5 5 2)
 *
 * whisper-cli is built from source, once, into bench/.cache/whispercli: the
 * source comes from the `nodejs-whisper` npm tarball (`npm pack`), the build
 * from cmake and g++. Both tools decode alike (greedy, no text carried between
 * windows, a segment per word: Hark's host settings, whisper-cli's
 * `-bs 1 -mc 0 -ml 1 -sow`, timestamps on). The model is a synthetic one of base.en's shape:
 * its compute is real, its words are noise.
 *
 * - Short notes (5–15 s): Hark transcribes them one after another, its model
 *   loaded once (the load is counted); whisper-cli runs once per file, as a
 *   shell loop over a folder would (and, for reference, once for all of them).
 * - Long files: with random weights whisper-cli's own timestamp-driven seeking
 *   advances by random amounts and decodes far more windows than real weights
 *   would, so it is given the very windows Hark's chunker cuts (at most 30 s
 *   each, one process per file, every window a -f), while Hark reads the whole
 *   file. The output lengths are printed beside the times.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { windowsOf } from '../src/transcription/chunker.js';
import { decodePcm, probeAudio } from '../src/transcription/ffmpeg.js';
import { encodeWav } from '../src/transcription/wav.js';
import { WhisperRecognizer } from '../src/transcription/whisper/whisperRecognizer.js';
import { describeWhisperRuntime } from '../src/transcription/whisper/whisperRuntime.js';
import { writeGgmlModel } from '../tests/helpers/whisperModel/ggmlModel.js';
import { machine } from './lib.js';
import { longFiles, type NoteFile, shortNotes } from './noteSet.js';

const run = promisify(execFile);
// Minutes may be a range ("5-20"): the long files are then spread evenly over it.
const [shortArg = '40', longArg = '5', minutes = '5', threadsArg = '2'] = process.argv.slice(2);
const [shortCount, longCount, threads] = [shortArg, longArg, threadsArg].map(Number) as [
  number,
  number,
  number,
];
const cacheDir = join(import.meta.dirname, '.cache');
const buildDir = join(cacheDir, 'whispercli');
const NODEJS_WHISPER = 'nodejs-whisper@0.3.1';
const signal = () => new AbortController().signal;
const loads: number[] = [];
const sampleLoad = () => loads.push(loadavg()[0] ?? 0);

/** whisper-cli, built from the nodejs-whisper tarball's copy of whisper.cpp the first time. */
function whisperCli(): string {
  const binary = join(buildDir, 'build', 'bin', 'whisper-cli');
  if (existsSync(binary)) return binary;
  mkdirSync(buildDir, { recursive: true });
  const started = performance.now();
  const say = (line: string) => console.error(`[whisper-cli build] ${line}`);
  const source = join(buildDir, 'package', 'cpp', 'whisper.cpp');
  if (!existsSync(join(source, 'CMakeLists.txt'))) {
    say(`npm pack ${NODEJS_WHISPER}`);
    const tarball = execFileSync('npm', ['pack', NODEJS_WHISPER, '--silent'], {
      cwd: buildDir,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .at(-1) as string;
    execFileSync('tar', ['xzf', tarball], { cwd: buildDir });
  }
  say('cmake (a release build of whisper-cli alone; 10+ minutes on two busy cores)');
  const flags = ['-DCMAKE_BUILD_TYPE=Release', '-DBUILD_SHARED_LIBS=OFF', '-DWHISPER_BUILD_TESTS=OFF'];
  flags.push('-DWHISPER_BUILD_SERVER=OFF', '-DWHISPER_SDL2=OFF');
  execFileSync('cmake', ['-S', source, '-B', join(buildDir, 'build'), ...flags], { stdio: 'ignore' });
  execFileSync('cmake', ['--build', join(buildDir, 'build'), '--target', 'whisper-cli', '-j', '2'], {
    stdio: 'ignore',
  });
  say(`built in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  return binary;
}

const cli = whisperCli();
const modelPath = join(cacheDir, 'ggml-base.en.bin');
if (!existsSync(modelPath)) writeGgmlModel(modelPath, { preset: 'base' });
// Timestamps stay on, as in Hark: without them (-nt) random weights never end a window and every
// temperature fallback decodes to the token limit (a 7 s note took over 90 s here).
const cliDecoding = ['-t', String(threads), '-bs', '1', '-mc', '0', '-ml', '1', '-sow', '-np'];

interface Tally {
  seconds: number;
  audio: number;
  words: number;
  windows: number;
}
const tally = (): Tally => ({ seconds: 0, audio: 0, words: 0, windows: 0 });
const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;

async function timed<T>(into: Tally, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  into.seconds += (performance.now() - started) / 1000;
  sampleLoad();
  return result;
}

async function cliRun(into: Tally, files: string[], audio: number): Promise<void> {
  const { stdout } = await timed(into, () =>
    run(cli, ['-m', modelPath, ...cliDecoding, ...files.flatMap((file) => ['-f', file])], {
      maxBuffer: 1 << 26,
    }),
  );
  into.audio += audio;
  into.words += wordsIn(stdout.replace(/\[[\d:.]+ --> [\d:.]+\]/g, ' '));
  into.windows += files.length;
}

/** The windows Hark's chunker cuts from a file, each written as a WAV for whisper-cli. */
async function preCut(file: NoteFile): Promise<string[]> {
  const dir = `${file.path}.windows`;
  if (existsSync(dir))
    return readdirSync(dir)
      .sort()
      .map((name) => join(dir, name));
  mkdirSync(dir);
  const paths: string[] = [];
  const pcm = decodePcm(file.path, { signal: signal(), expected: await probeAudio(file.path) });
  for await (const window of windowsOf(pcm)) {
    const path = join(dir, `w${String(paths.length).padStart(3, '0')}.wav`);
    writeFileSync(path, encodeWav(window.samples));
    paths.push(path);
  }
  return paths;
}

const notes = shortNotes(join(cacheDir, 'notes'), shortCount);
const long = longFiles(join(cacheDir, 'notes'), longCount, minutes);
const windowsOfLong = await Promise.all(long.map(preCut));

const recognizer = new WhisperRecognizer({ modelPath, threads });
let harkWindows = 0;
recognizer.on('window', () => harkWindows++);
const hark = new ChunkedEngine(recognizer);
const results = {
  short: { hark: tally(), cliEach: tally(), cliOnce: tally() },
  long: { hark: tally(), cli: tally() },
};
async function harkRun(into: Tally, file: NoteFile): Promise<void> {
  const before = harkWindows;
  const transcript = await timed(into, () => hark.transcribe(file.path, { signal: signal() }));
  into.audio += transcript.duration;
  into.words += wordsIn(transcript.text);
  into.windows += harkWindows - before;
}

// Hark's one model load counts against it, as whisper-cli's load in every run counts against that.
await timed(results.short.hark, () => recognizer.prewarm());
for (const [i, note] of notes.entries()) {
  const steps = [
    () => harkRun(results.short.hark, note),
    () => cliRun(results.short.cliEach, [note.path], note.seconds),
  ];
  for (const step of i % 2 ? steps.reverse() : steps) await step();
  console.error(`note ${i + 1}/${notes.length} done, load ${loads.at(-1)?.toFixed(1)}`);
}
const noteAudio = notes.reduce((sum, note) => sum + note.seconds, 0);
await cliRun(
  results.short.cliOnce,
  notes.map((note) => note.path),
  noteAudio,
);
for (const [i, file] of long.entries()) {
  const steps = [
    () => harkRun(results.long.hark, file),
    () => cliRun(results.long.cli, windowsOfLong[i] ?? [], file.seconds),
  ];
  for (const step of i % 2 ? steps.reverse() : steps) await step();
  console.error(`long file ${i + 1}/${long.length} done, load ${loads.at(-1)?.toFixed(1)}`);
}
await recognizer.dispose();

const row = (label: string, t: Tally, against: Tally) =>
  `| ${label} | ${t.audio.toFixed(0)} s | ${t.windows} | ${t.seconds.toFixed(1)} s | ${(t.seconds / t.audio).toFixed(3)} | ${(against.seconds / t.seconds).toFixed(2)}× | ${t.words} |`;
console.log(`\n## Hark vs whisper-cli (synthetic base.en, ${threads} threads)\n\nMachine: ${machine()}\n`);
console.log(
  '| what | audio | windows | wall time | s per s of audio | speed-up vs whisper-cli (file by file) | words out |',
);
console.log('|---|---|---|---|---|---|---|');
console.log(row(`Hark, ${shortCount} short notes (5–15 s)`, results.short.hark, results.short.cliEach));
console.log(row('whisper-cli, one run per note', results.short.cliEach, results.short.cliEach));
console.log(
  row('whisper-cli, one run for all notes (reference)', results.short.cliOnce, results.short.cliEach),
);
console.log(
  row(`Hark, ${longCount} long files (${minutes} min), whole files`, results.long.hark, results.long.cli),
);
console.log(row("whisper-cli, the same files as Hark's pre-cut windows", results.long.cli, results.long.cli));
console.log(
  `\nload average (1 min) during the run: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
);
console.log(`whisper-cli: ${cli} ${cliDecoding.join(' ')} (from ${NODEJS_WHISPER})`);
console.log(
  `Hark's whisper host: ${describeWhisperRuntime(recognizer.runtime)} (HARK_WHISPER_RUNTIME=binding for the prebuilt binding)`,
);
