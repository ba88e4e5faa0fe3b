/**
 * Issue 6, permissions: a folder Hark may not read, a folder it may list
 * but not enter, and a file it may not read. Root reads everything, so Hark
 * runs here as `nobody` (the CLI as a child process, from the copy of
 * tests/helpers/nobodyKit.ts, as src/queue/scanner.test.ts does for its scan):
 * `hark start --exit-when-idle` with pocketsphinx, twice, before and after the
 * user fixes the permissions.
 */
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_SENTENCES } from '../scripts/make-bad-audio.js';
import { isRoot, NOBODY, spawnTsAsNobody } from './helpers/asNobody.js';
import { exited, SOURCE_CLI, spawnTs } from './helpers/processes.js';
import { speak, wordErrorRate } from './helpers/speech.js';
import { suiteDir } from './helpers/tmp.js';

const record = (line: string) => console.info(`[bad-audio] ${line}`);

interface TaskJson {
  id: number;
  status: string;
  attempts: number;
  error_kind: string | null;
  error_message: string | null;
  audio_path: string;
}

const folder = suiteDir('hark-bad-audio-permissions-');
afterAll(() => {
  for (const path of ['notes/locked', 'notes/listed only']) chmodSync(join(folder.path, path), 0o755);
  folder.remove();
});

const notes = join(folder.path, 'notes');
const data = join(folder.path, 'data');
const files = {
  'open/spoken.wav': CORPUS_SENTENCES.plants,
  'locked/kept away.wav': CORPUS_SENTENCES.fox,
  'listed only/inside.wav': CORPUS_SENTENCES.coffee,
  'no read.wav': CORPUS_SENTENCES.flight,
} as const;

beforeAll(() => {
  chmodSync(folder.path, 0o755);
  for (const [path, text] of Object.entries(files)) {
    speak(text, join(notes, path));
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(join(notes, path), minuteAgo, minuteAgo);
  }
  mkdirSync(data);
  chownTree(folder.path, isRoot ? NOBODY : (process.getuid?.() ?? 0));
  chmodSync(join(notes, 'locked'), 0o000); // not even listed
  chmodSync(join(notes, 'listed only'), 0o444); // listed, but nothing in it can be opened or stat'ed
  chmodSync(join(notes, 'no read.wav'), 0o000);
}, 30_000);

/** Runs the CLI as nobody (or as this user when not root), on the test's folders. */
async function hark(...args: string[]) {
  const argv = [...args, '--notes', notes, '--data', data];
  const env = { ...process.env, HOME: data, HARK_ENGINE: 'pocketsphinx' };
  // As nobody, from a copy nobody may read: the clone itself may sit in a private folder.
  // The source, not the build: nobody's copy of the checkout has no dist/ (nobodyKit.ts).
  const run = await exited(
    isRoot ? spawnTsAsNobody(SOURCE_CLI, argv, env) : spawnTs(SOURCE_CLI, argv, { env }),
  );
  expect(run.code, run.stderr).toBe(0);
  return run;
}

async function tasks(): Promise<Map<string, TaskJson>> {
  const { stdout } = await hark('tasks', '--json', '--limit', '100');
  return new Map((JSON.parse(stdout) as { tasks: TaskJson[] }).tasks.map((t) => [t.audio_path, t]));
}

function transcript(audioPath: string): string {
  return readFileSync(join(notes, audioPath.replace(/\.wav$/, '.txt')), 'utf8').trim();
}

describe('what Hark may not read', () => {
  it('is named and skipped, or failed with the reason; the rest is transcribed; fixed, nothing was lost', async () => {
    const first = await hark('start', '--exit-when-idle');
    expect(first.stderr).toContain('skipped unreadable folder locked: EACCES');
    expect(first.stderr).toContain('skipped listed only/inside.wav: it cannot be read (EACCES)');
    let all = await tasks();
    expect([...all.keys()].sort()).toEqual(['no read.wav', 'open/spoken.wav']);
    expect(all.get('open/spoken.wav')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(wordErrorRate(files['open/spoken.wav'], transcript('open/spoken.wav'))).toBeLessThanOrEqual(0.3);
    // Permanent (no retry spent on it) and saying what to do.
    const refused = all.get('no read.wav');
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, error_kind: 'unreadable_audio' });
    expect(refused?.error_message).toBe(
      'Hark is not allowed to read the file (permission denied): give it read access, then retry',
    );
    record(`no read.wav: failed, unreadable_audio: ${refused?.error_message}`);

    // The user fixes the permissions and retries the failed file; the next start takes the rest.
    chmodSync(join(notes, 'locked'), 0o755);
    chmodSync(join(notes, 'listed only'), 0o755);
    chmodSync(join(notes, 'no read.wav'), 0o644);
    await hark('retry', '--all');
    const second = await hark('start', '--exit-when-idle');
    expect(second.stderr).not.toMatch(/skipped/);
    all = await tasks();
    expect([...all.keys()].sort()).toEqual(Object.keys(files).sort());
    for (const [path, spoken] of Object.entries(files)) {
      expect(all.get(path)?.status, path).toBe('completed');
      const wer = wordErrorRate(spoken, transcript(path));
      record(`${path}: complete after the fix, WER ${(wer * 100).toFixed(0)} %`);
      expect(wer, path).toBeLessThanOrEqual(0.3);
    }
  }, 120_000);
});

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}
