import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeWav } from '../../src/transcription/wav.js';
import { ROOT } from '../helpers/processes.js';
import { convert, SENTENCES, speak } from '../helpers/speech.js';
import { Prng } from './prng.js';

/** Every format Hark accepts from a browser or a phone, with the encoder settings used for it. */
export const FORMATS = {
  wav: [] as string[],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  m4a: ['-c:a', 'aac', '-b:a', '64k'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '4'],
  opus: ['-c:a', 'libopus', '-b:a', '32k'],
  webm: ['-c:a', 'libopus', '-b:a', '32k'],
  flac: ['-c:a', 'flac'],
} as const;
export type Format = keyof typeof FORMATS;

/** More sentences than the shared eight, so that few files say the same thing. */
const MORE_SENTENCES = [
  'book a table for four people at the italian place on saturday',
  'the garage called and the car will be ready tomorrow at noon',
  'buy milk bread eggs and some fresh fruit on the way home',
  'the report is due on monday so start the summary tonight',
  'send the photos from the trip to my brother and my parents',
  'the train leaves the central station at half past eight',
  'ask the landlord about the broken window in the bedroom',
  'practice the piano for twenty minutes before dinner',
];
export const ALL_SENTENCES: readonly string[] = [...SENTENCES, ...MORE_SENTENCES];

export type Role = 'initial' | 'late' | 'upload';

export interface SpokenSentence {
  sentence: number;
  /** Seconds from the start of the file. */
  start: number;
  end: number;
}

export interface LibraryFile {
  id: number;
  role: Role;
  /** Where it goes in the notes folder (initial and late files), or the name it is uploaded under. */
  path: string;
  format: Format;
  spoken: SpokenSentence[];
  duration: number;
  /** What was said, sentence after sentence. */
  text: string;
  sha256: string;
}

export interface Library {
  dir: string;
  files: LibraryFile[];
}

const SAMPLE_RATE = 16_000;
/** Bump when the generated files change, so old caches are not used. */
const LIBRARY_VERSION = 2;

/**
 * The soak's notes library: speech generated with flite and converted by
 * ffmpeg into every format, short notes and some long enough for several
 * 30 s windows, named like Hark's own recordings (dated folders) or like
 * imported files. Built once per (seed, size) and cached under
 * node_modules/.cache, since flite and ffmpeg take a while for 200 files.
 */
export function soakLibrary(options: {
  seed: number;
  files: number;
  lateFiles: number;
  uploadFiles: number;
  /** One sentence per note and a single long file: less to hear, for the short soak. */
  quick?: boolean;
  cacheDir?: string;
}): Library {
  const shape = `n${options.files}-l${options.lateFiles}-u${options.uploadFiles}${options.quick ? '-q' : ''}`;
  const key = `v${LIBRARY_VERSION}-s${options.seed}-${shape}`;
  const cacheRoot = options.cacheDir ?? join(ROOT, 'node_modules', '.cache', 'hark-soak');
  const dir = join(cacheRoot, key);
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    return { dir, files: JSON.parse(readFileSync(manifest, 'utf8')) as LibraryFile[] };
  }
  // Built beside its final place and renamed into it, so a build cut short is never taken for a library.
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const speech = speakAll(join(cacheRoot, 'speech'));
  const prng = new Prng(options.seed).fork('library');
  const files = planFiles(prng, options).map((file) => build(file, speech, building, prng));
  writeFileSync(join(building, 'manifest.json'), `${JSON.stringify(files, null, 1)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return { dir, files };
}

/** Where a library file's bytes are in the cache. */
export function libraryFilePath(library: Library, file: LibraryFile): string {
  return join(library.dir, 'files', String(file.id), file.path.split('/').pop() ?? 'audio');
}

/**
 * Copies a library file into the notes folder under a hidden name and renames it into place,
 * as a sync tool does; `settled` dates it an hour back (the start-up scan takes it at once).
 */
export function placeLibraryFile(
  library: Library,
  file: LibraryFile,
  notesDir: string,
  settled: boolean,
): void {
  const target = join(notesDir, file.path);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.soak-${file.id}.partial`);
  copyFileSync(libraryFilePath(library, file), temporary);
  if (settled) {
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(temporary, hourAgo, hourAgo);
  }
  renameSync(temporary, target);
}

/** Each sentence spoken once, as 16 kHz mono samples. */
function speakAll(dir: string): Int16Array[] {
  return ALL_SENTENCES.map((text, i) => {
    const path = join(dir, `sentence-${i}.wav`);
    if (!existsSync(path)) {
      const part = `${path}.${process.pid}.wav`;
      speak(text, part);
      renameSync(part, path);
    }
    return pcmOfWav(readFileSync(path));
  });
}

interface FilePlan {
  id: number;
  role: Role;
  path: string;
  format: Format;
  /** Sentences in order, each with the silence before it. */
  parts: { sentence: number; silenceBefore: number }[];
}

const IMPORTED_NAMES = [
  (i: number) => `Meeting notes ${i}`,
  (i: number) => `call with Ana ${i}`,
  (i: number) => `Idée ${i} – café`,
  (i: number) => `voice memo (${i})`,
  (i: number) => `lecture part ${i}`,
  (i: number) => `New Recording ${i}`,
];
const FOLDERS = ['', '', 'projects/alpha', 'Family', 'imports', 'old notes/2023'];

function planFiles(
  prng: Prng,
  options: { files: number; lateFiles: number; uploadFiles: number; quick?: boolean },
): FilePlan[] {
  const formats = Object.keys(FORMATS) as Format[];
  const usedRecordingNames = new Set<string>();
  const plans: FilePlan[] = [];
  for (let id = 0; id < options.files; id++) {
    const role: Role =
      id < options.uploadFiles ? 'upload' : id < options.uploadFiles + options.lateFiles ? 'late' : 'initial';
    const format = formats[id % formats.length] as Format;
    // One in twelve is long: two to four 30 s windows, mostly sparse speech (cheap to hear), some dense.
    const long = role !== 'upload' && (options.quick ? id === options.files - 1 : id % 12 === 11);
    const parts: FilePlan['parts'] = [];
    const target = long ? 30 * (options.quick ? 1 : prng.int(1, 3)) + prng.int(5, 20) : 0;
    const dense = long && prng.chance(0.25);
    const shortCount = options.quick || prng.chance(0.65) ? 1 : 2;
    let seconds = 0;
    do {
      const sentence = prng.int(0, ALL_SENTENCES.length - 1);
      // Notes pause briefly between sentences; long files mostly pause long (sparse speech is cheap to hear).
      const silenceBefore =
        parts.length === 0
          ? prng.int(2, 10) / 10
          : !long || dense
            ? prng.int(4, 12) / 10
            : prng.int(20, 100) / 10;
      parts.push({ sentence, silenceBefore });
      seconds += silenceBefore + 4; // a sentence lasts about 4 s
    } while (long ? seconds < target : parts.length < shortCount);
    plans.push({ id, role, format, parts, path: fileName(id, role, format, prng, usedRecordingNames) });
  }
  return plans;
}

/** Own recordings go in dated folders as HHMMSS-voice-note.<ext>; the others have names from elsewhere. */
function fileName(id: number, role: Role, format: Format, prng: Prng, used: Set<string>): string {
  if (role !== 'upload' && prng.chance(0.45)) {
    for (;;) {
      const day = `2024-05-${String(prng.int(1, 28)).padStart(2, '0')}`;
      const time = [prng.int(7, 22), prng.int(0, 59), prng.int(0, 59)]
        .map((n) => String(n).padStart(2, '0'))
        .join('');
      const path = `${day}/${time}-voice-note.${format}`;
      if (!used.has(path)) {
        used.add(path);
        return path;
      }
    }
  }
  const name = `${prng.pick(IMPORTED_NAMES)(id)}.${format}`;
  if (role === 'upload') return name;
  const folder = prng.pick(FOLDERS);
  return folder ? `${folder}/${name}` : name;
}

function build(plan: FilePlan, speech: Int16Array[], root: string, prng: Prng): LibraryFile {
  const chunks: Int16Array[] = [];
  const spoken: SpokenSentence[] = [];
  let samples = 0;
  for (const part of plan.parts) {
    const silence = new Int16Array(Math.round(part.silenceBefore * SAMPLE_RATE));
    const voice = speech[part.sentence] as Int16Array;
    chunks.push(silence, voice);
    samples += silence.length;
    spoken.push({
      sentence: part.sentence,
      start: samples / SAMPLE_RATE,
      end: (samples + voice.length) / SAMPLE_RATE,
    });
    samples += voice.length;
  }
  const tail = new Int16Array(Math.round(0.4 * SAMPLE_RATE));
  chunks.push(tail);
  samples += tail.length;
  const wav = join(root, 'wav', `${plan.id}.wav`);
  mkdirSync(dirname(wav), { recursive: true });
  writeFileSync(wav, wavOf(chunks, samples));
  const output = join(root, 'files', String(plan.id), plan.path.split('/').pop() ?? 'audio');
  // Some wavs are resampled to CD rate and stereo, as a phone or a desktop recorder writes them.
  const args =
    plan.format === 'wav' && prng.chance(0.5) ? ['-ar', '44100', '-ac', '2'] : [...FORMATS[plan.format]];
  convert(wav, output, args);
  rmSync(wav);
  return {
    id: plan.id,
    role: plan.role,
    path: plan.path,
    format: plan.format,
    spoken,
    duration: samples / SAMPLE_RATE,
    text: spoken.map((s) => ALL_SENTENCES[s.sentence]).join(' '),
    sha256: createHash('sha256').update(readFileSync(output)).digest('hex'),
  };
}

/** The samples of a 16-bit mono wav (flite's kal16 output). */
function pcmOfWav(bytes: Buffer): Int16Array {
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const samples = new Int16Array(Math.floor(Math.min(size, bytes.length - offset - 8) / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(offset + 8 + i * 2);
      return samples;
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in the wav');
}

/** The chunks one after another, as the wav the project's own encoder writes. */
function wavOf(chunks: Int16Array[], samples: number): Buffer {
  const floats = new Float32Array(samples);
  let offset = 0;
  for (const chunk of chunks) {
    for (let k = 0; k < chunk.length; k++) floats[offset + k] = (chunk[k] ?? 0) / 0x8000;
    offset += chunk.length;
  }
  return encodeWav(floats, SAMPLE_RATE);
}
