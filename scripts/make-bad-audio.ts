/**
 * Builds Hark's bad-audio corpus (issue 6): every kind of file a notes folder
 * can hold that is not a plain, healthy recording. Everything is made here
 * from flite speech, ffmpeg's lavfi sources and raw bytes; nothing is downloaded.
 *
 *   npx tsx scripts/make-bad-audio.ts <dir> [--no-long]
 *
 * Layout of <dir>:
 *   notes/         the notes folder to point Hark at (every case below)
 *   outside/       what the link leading out of the notes folder points to
 *   spare/         audio the tests use while Hark runs (a replacement, a file to
 *                  grow, the 3-hour and 2-minute files for the memory check)
 *   manifest.json  the cases: name, path, what it is, and the words spoken in it
 *
 * The script only builds files; tests/badAudio*.test.ts decide what Hark must
 * make of each. Building everything takes a few seconds (the 3-hour file is
 * one-minute mp3 segments joined without re-encoding).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireFfmpeg } from '../src/transcription/ffmpegPath.js';

/** Sentences flite speaks clearly enough for pocketsphinx (see tests/helpers/speech.ts for the first eight). */
export const CORPUS_SENTENCES = {
  fox: 'the quick brown fox jumps over the lazy dog',
  stella: 'please call stella and ask her to bring these things with her from the store',
  plants: 'remember to water the plants on the balcony every morning',
  meeting: 'the meeting with the design team moved to thursday afternoon',
  coffee: 'we need more coffee filters and a new kettle for the kitchen',
  flight: 'my flight lands at seven in the evening so pick me up at the airport',
  weather: 'the weather today is cold and windy with rain in the afternoon',
  book: 'write down the name of the book that maria recommended yesterday',
} as const;

export type SentenceName = keyof typeof CORPUS_SENTENCES;

export type CaseName =
  | 'empty'
  | 'truncated-wav'
  | 'truncated-mp3'
  | 'random-bytes'
  | 'text-as-mp3'
  | 'mp3-named-wav'
  | 'silence-10-minutes'
  | 'noise'
  | 'narrowband-8k'
  | 'hi-res-6-channels'
  | 'odd-name'
  | 'deep-path'
  | 'link-outside'
  | 'link-loop'
  | 'folder-loop'
  | 'locked-folder'
  | 'to-delete'
  | 'to-replace'
  | 'latin1-name'
  | 'unicode-twin-composed'
  | 'unicode-twin-decomposed'
  | 'future-mtime';

export interface CorpusCase {
  name: CaseName;
  /** Relative to the notes folder, '/'-separated (as Hark stores it). */
  path: string;
  what: string;
  /** The words spoken in it, when it holds generated speech. */
  spoken?: string;
}

export interface SpareFile {
  /** Absolute path. */
  path: string;
  spoken: string;
  seconds?: number;
}

export interface Corpus {
  root: string;
  notes: string;
  outside: string;
  cases: CorpusCase[];
  spare: {
    /** Different speech for `to-replace`, written over it after it is queued. */
    replacement: SpareFile;
    /** Speech for the file that grows while a scan runs. */
    growing: SpareFile;
    /** Three sentences (about 12 s): a file long enough to be replaced part way through. */
    threeSentences: SpareFile;
    /** A 3-hour mp3, mostly silence, with a sentence at the start, the middle and the end. */
    threeHours?: SpareFile;
    /** Two minutes built the same way, with one sentence: the baseline for the memory check. */
    twoMinutes?: SpareFile;
  };
}

export interface CorpusOptions {
  /** Build the 3-hour and 2-minute files (default true). */
  long?: boolean;
}

/** A relative path of 250 characters, through folders of ordinary length. */
export const DEEP_PATH = deepPath(250);

/** Spaces, both quotes, accents, CJK, an emoji, and a leading dash that looks like an option. */
export const ODD_NAME = `-rf "quoted" it's café ñandú 日本語 🎙 note.wav`;

export function makeBadAudio(root: string, options: CorpusOptions = {}): Corpus {
  const dir = resolve(root);
  const notes = join(dir, 'notes');
  const outside = join(dir, 'outside');
  const spareDir = join(dir, 'spare');
  const work = join(dir, 'work');
  // Restore permissions first, or an earlier run's locked folder cannot be removed by a normal user.
  try {
    chmodSync(join(notes, 'locked'), 0o755);
  } catch {
    // not there
  }
  for (const folder of [notes, outside, spareDir, work]) {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
  }
  const spoken = new Map<SentenceName, string>();
  const speech = (name: SentenceName) => {
    const path = spoken.get(name) ?? speak(CORPUS_SENTENCES[name], join(work, `${name}.wav`));
    spoken.set(name, path);
    return path;
  };
  const inNotes = (path: string) => {
    const full = join(notes, path);
    mkdirSync(dirname(full), { recursive: true });
    return full;
  };
  const cases: CorpusCase[] = [];
  const add = (name: CaseName, path: string, what: string, spoken?: SentenceName) =>
    cases.push({ name, path, what, ...(spoken ? { spoken: CORPUS_SENTENCES[spoken] } : {}) });

  writeFileSync(inNotes('empty.wav'), '');
  add('empty', 'empty.wav', '0 bytes');

  // Half of a wav whose header still declares the whole length, as a copy cut short leaves it.
  truncate(speech('fox'), inNotes('truncated.wav'), 0.5);
  add('truncated-wav', 'truncated.wav', 'a wav cut in half');

  // Half of an mp3 with a Xing header (frame count of the whole), as lame writes it.
  truncate(
    ffmpeg(['-i', speech('weather'), '-c:a', 'libmp3lame'], join(work, 'weather.mp3')),
    inNotes('truncated.mp3'),
    0.5,
  );
  add('truncated-mp3', 'truncated.mp3', 'an mp3 cut in half');

  writeFileSync(inNotes('random-bytes.wav'), pseudoRandomBytes(64 * 1024, 20_260_601));
  add('random-bytes', 'random-bytes.wav', '64 KiB of random bytes named .wav');

  writeFileSync(inNotes('shopping list.mp3'), 'milk\neggs\nbread\ncoffee filters\n');
  add('text-as-mp3', 'shopping list.mp3', 'a text file named .mp3');

  ffmpeg(['-i', speech('plants'), '-c:a', 'libmp3lame', '-f', 'mp3'], inNotes('really an mp3.wav'));
  add('mp3-named-wav', 'really an mp3.wav', 'an mp3 whose extension is .wav', 'plants');

  ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '600'], inNotes('silence 10 min.wav'));
  add('silence-10-minutes', 'silence 10 min.wav', '10 minutes of digital silence');

  // Loud pink noise, stereo at 48 kHz: steady, broadband and never silent.
  ffmpeg(
    ['-f', 'lavfi', '-i', 'anoisesrc=c=pink:a=0.5:r=48000:seed=6', '-t', '90', '-ac', '2'],
    inNotes('noise.wav'),
  );
  add('noise', 'noise.wav', '90 s of loud pink noise, 48 kHz stereo');

  ffmpeg(['-i', speech('meeting'), '-ar', '8000', '-ac', '1'], inNotes('phone call 8k.wav'));
  add('narrowband-8k', 'phone call 8k.wav', '8 kHz mono wav', 'meeting');

  // A 5.1 wav (WAVE_FORMAT_EXTENSIBLE, 24-bit) at 96 kHz with the voice in the centre channel.
  ffmpeg(
    ['-i', speech('coffee'), '-af', 'pan=5.1|FC=c0', '-ar', '96000', '-c:a', 'pcm_s24le'],
    inNotes('studio 96k 6ch.wav'),
  );
  add('hi-res-6-channels', 'studio 96k 6ch.wav', '96 kHz 6-channel 24-bit wav', 'coffee');

  copyFileSync(speech('flight'), inNotes(ODD_NAME));
  add('odd-name', ODD_NAME, 'a name with spaces, quotes, unicode and a leading dash', 'flight');

  copyFileSync(speech('stella'), inNotes(DEEP_PATH));
  add('deep-path', DEEP_PATH, `a path ${DEEP_PATH.length} characters deep`, 'stella');

  // Links: one to a real recording outside the notes folder, two that loop.
  copyFileSync(speech('stella'), join(outside, 'secret.wav'));
  symlinkSync(join(outside, 'secret.wav'), inNotes('outside link.wav'));
  add('link-outside', 'outside link.wav', 'a symlink to a recording outside the notes folder');
  symlinkSync('loop-b.wav', inNotes('loop-a.wav'));
  symlinkSync('loop-a.wav', inNotes('loop-b.wav'));
  add('link-loop', 'loop-a.wav', 'two symlinks pointing at each other');
  mkdirSync(inNotes('circle'), { recursive: true });
  symlinkSync('..', inNotes('circle/back'));
  add('folder-loop', 'circle/back', 'a folder link leading back up (a loop)');

  // A folder nobody but its owner (and root) may read.
  copyFileSync(speech('fox'), inNotes('locked/kept away.wav'));
  add('locked-folder', 'locked/kept away.wav', 'a folder without read permission', 'fox');

  copyFileSync(speech('book'), inNotes('to delete.wav'));
  add('to-delete', 'to delete.wav', 'deleted after it is queued', 'book');
  copyFileSync(speech('meeting'), inNotes('to replace.wav'));
  add('to-replace', 'to replace.wav', 'replaced by different audio after it is queued', 'meeting');

  // Beyond the issue's list. A name in Latin-1, as old archives and some devices write them:
  // not valid UTF-8, so Node lists it with U+FFFD for the byte 0xE9 (é), the path Hark sees.
  const latin1 = Buffer.concat([
    Buffer.from(`${notes}/caf`),
    Buffer.from([0xe9]),
    Buffer.from(' latin-1.wav'),
  ]);
  copyFileSync(speech('coffee'), latin1);
  add('latin1-name', 'caf\uFFFD latin-1.wav', 'a name that is not valid UTF-8 (Latin-1)', 'coffee');
  // The same name twice, é composed (NFC) and decomposed (NFD): two files side by side on Linux.
  copyFileSync(speech('plants'), inNotes('r\u00e9sum\u00e9.wav'));
  add('unicode-twin-composed', 'r\u00e9sum\u00e9.wav', 'résumé.wav with é composed (NFC)', 'plants');
  copyFileSync(speech('flight'), inNotes('re\u0301sume\u0301.wav'));
  add('unicode-twin-decomposed', 're\u0301sume\u0301.wav', 'résumé.wav with é decomposed (NFD)', 'flight');
  // Dated two days ahead, as a recorder whose clock is wrong leaves it.
  const ahead = Date.now() / 1000 + 2 * 86_400;
  utimesSync(copy(speech('coffee'), inNotes('clock ahead.wav')), ahead, ahead);
  add('future-mtime', 'clock ahead.wav', 'modified two days in the future', 'coffee');

  const spare: Corpus['spare'] = {
    replacement: {
      // Longer than the original, so size and mtime both change.
      path: concatenate([speech('weather'), speech('coffee')], join(spareDir, 'replacement.wav')),
      spoken: `${CORPUS_SENTENCES.weather} ${CORPUS_SENTENCES.coffee}`,
    },
    growing: {
      path: copy(speech('plants'), join(spareDir, 'growing.wav')),
      spoken: CORPUS_SENTENCES.plants,
    },
    threeSentences: {
      path: concatenate(
        [speech('fox'), speech('plants'), speech('flight')],
        join(spareDir, 'three sentences.wav'),
      ),
      spoken: [CORPUS_SENTENCES.fox, CORPUS_SENTENCES.plants, CORPUS_SENTENCES.flight].join(' '),
    },
  };
  if (options.long !== false) Object.assign(spare, longFiles(work, spareDir, speech));

  // Everything a minute old, so no scan takes any of it for a file still being written.
  const minuteAgo = Date.now() / 1000 - 60;
  const keepTimes: CaseName[] = ['link-outside', 'link-loop', 'folder-loop', 'latin1-name', 'future-mtime'];
  for (const c of cases) {
    if (!keepTimes.includes(c.name)) utimesSync(join(notes, c.path), minuteAgo, minuteAgo);
  }
  utimesSync(latin1, minuteAgo, minuteAgo);
  // Locked last: as anyone but root, nothing inside could be touched after this.
  chmodSync(join(notes, 'locked'), 0o000);
  rmSync(work, { recursive: true, force: true });
  const corpus: Corpus = { root: dir, notes, outside, cases, spare };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(corpus, null, 2)}\n`);
  return corpus;
}

/**
 * The 3-hour file: 180 one-minute mp3 segments (16 kHz mono, VBR quality 3:
 * lower rates blur flite's voice for pocketsphinx) joined by stream copy, so
 * it takes seconds to make instead of minutes of encoding, and 11 MB.
 * Speech opens the first, the middle and the last minute; the rest is
 * digital silence, which voice detection skips without the recogniser.
 */
function longFiles(
  work: string,
  spareDir: string,
  speech: (name: SentenceName) => string,
): Pick<Corpus['spare'], 'threeHours' | 'twoMinutes'> {
  const mp3 = ['-ar', '16000', '-ac', '1', '-c:a', 'libmp3lame', '-q:a', '3'];
  const silent = ffmpeg(
    ['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '60', ...mp3],
    join(work, 'silent.mp3'),
  );
  const spoken = (name: SentenceName) =>
    ffmpeg(['-i', speech(name), '-af', 'apad', '-t', '60', ...mp3], join(work, `minute-${name}.mp3`));
  const first = spoken('fox');
  const middle = spoken('weather');
  const last = spoken('meeting');
  const minutes = Array.from({ length: 180 }, (_, i) =>
    i === 0 ? first : i === 90 ? middle : i === 179 ? last : silent,
  );
  return {
    threeHours: {
      path: joinMp3(minutes, join(spareDir, 'three hours.mp3'), work),
      spoken: [CORPUS_SENTENCES.fox, CORPUS_SENTENCES.weather, CORPUS_SENTENCES.meeting].join(' '),
      seconds: 180 * 60,
    },
    twoMinutes: {
      path: joinMp3([first, silent], join(spareDir, 'two minutes.mp3'), work),
      spoken: CORPUS_SENTENCES.fox,
      seconds: 120,
    },
  };
}

function joinMp3(parts: string[], output: string, work: string): string {
  const list = join(work, 'concat.txt');
  writeFileSync(list, parts.map((part) => `file '${part.replaceAll("'", "'\\''")}'\n`).join(''));
  return ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy'], output);
}

/** Folders named `level-NN-…` until the path (ending in a file name) is `length` characters long. */
function deepPath(length: number): string {
  const fileName = 'deep note.wav';
  const parts: string[] = [];
  let used = fileName.length;
  for (let level = 1; used < length; level++) {
    const room = length - used - 1; // one for the slash
    const folder = `level-${String(level).padStart(2, '0')}-of-a-deeply-nested-archive`;
    if (room <= folder.length + 12) {
      parts.push(`level-${String(level).padStart(2, '0')}-${'x'.repeat(Math.max(1, room - 9))}`);
      used = length;
    } else {
      parts.push(folder);
      used += folder.length + 1;
    }
  }
  const path = [...parts, fileName].join('/');
  if (path.length !== length) throw new Error(`deep path is ${path.length} characters, not ${length}`);
  return path;
}

function speak(text: string, output: string): string {
  execFileSync('flite', ['-voice', 'kal16', '-t', text, '-o', output], { stdio: 'ignore' });
  return output;
}

/** Runs ffmpeg with `args` (inputs and options) writing `output`; returns the output. */
function ffmpeg(args: string[], output: string): string {
  mkdirSync(dirname(output), { recursive: true });
  execFileSync(requireFfmpeg(), ['-nostdin', '-loglevel', 'error', '-y', ...args, output], { stdio: 'pipe' });
  return output;
}

/** Joins speech files into one 16 kHz mono wav with half a second of silence after each. */
function concatenate(inputs: string[], output: string): string {
  const filters = inputs.map((_, i) => `[${i}:a]apad=pad_len=8000[a${i}]`);
  const joined = `${inputs.map((_, i) => `[a${i}]`).join('')}concat=n=${inputs.length}:v=0:a=1[out]`;
  return ffmpeg(
    [
      ...inputs.flatMap((input) => ['-i', input]),
      '-filter_complex',
      [...filters, joined].join(';'),
      '-map',
      '[out]',
    ],
    output,
  );
}

function copy(input: string, output: string): string {
  copyFileSync(input, output);
  return output;
}

function truncate(input: string, output: string, fraction: number): string {
  const bytes = readFileSync(input);
  writeFileSync(output, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return output;
}

/** Deterministic bytes (a linear congruential generator), so every corpus is the same. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const [target, ...flags] = process.argv.slice(2);
  if (!target) {
    process.stderr.write('usage: npx tsx scripts/make-bad-audio.ts <dir> [--no-long]\n');
    process.exit(2);
  }
  const started = performance.now();
  const corpus = makeBadAudio(target, { long: !flags.includes('--no-long') });
  const spare = Object.values(corpus.spare).length;
  process.stdout.write(
    `made ${corpus.cases.length} cases and ${spare} spare files in ${corpus.root} ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s); see manifest.json\n`,
  );
}
