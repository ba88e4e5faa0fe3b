import { utimesSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { PocketsphinxRecognizer } from '../src/transcription/pocketsphinx.js';
import { readEngineLog } from './helpers/engineLog.js';
import { concatenate, SENTENCES, speak } from './helpers/speech.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';
import { HarkLife } from './soak/harkProcess.js';
import { awaitMarkedGone, markedProcesses } from './soak/processTable.js';

/**
 * pocketsphinx hears a long file's windows side by side, one process each, up to the cores
 * (core/windowsAtOnce.ts). A SIGKILL while two are being heard must cost only those windows:
 * the restart resumes at the checkpoint, forgives the crash (it came from outside, while the
 * windows were in child processes), and ends with the words of an uninterrupted run.
 */
describe('a long file heard two windows at once, killed mid-file', () => {
  it.skipIf(availableParallelism() < 2)(
    'loses nothing and hears nothing twice: resumed at its checkpoint, with the words of one window at a time',
    async () => {
      const dir = tempDir();
      const notes = join(dir, 'notes');
      const data = join(dir, 'data');
      const spoken = SENTENCES.map((text, i) => speak(text, join(dir, `s${i}.wav`)));
      // About two minutes: four windows.
      const file = concatenate([...spoken, ...spoken, ...spoken], join(notes, 'long.wav'), 0.8);
      const hourAgo = Date.now() / 1000 - 3600;
      utimesSync(file, hourAgo, hourAgo);
      const engineLog = join(dir, 'engine.log');
      const marker = `side-by-side-${process.pid}`;
      const start = (extra: string[] = []) =>
        new HarkLife({ notes, data, engineLog, marker, stderrFile: join(dir, 'hark.log'), extraArgs: extra });

      const committed = () => readEngineLog(engineLog).filter((entry) => entry.event === 'chunk');
      // Kills a life of Hark once `ready` holds with at least `processes` pocketsphinx processes.
      // Three means two windows being heard and the next one's process waiting, started ahead: one
      // window at a time never has more than two (the window being heard and the spare).
      const killWhen = async (ready: (chunks: number) => boolean, processes: number, what: string) => {
        const life = start();
        try {
          await eventually(
            () => {
              const sphinxes = markedProcesses(marker).filter((p) =>
                /(^|\/)pocketsphinx_continuous /.test(p.command),
              );
              return ready(committed().length) && sphinxes.length >= processes;
            },
            what,
            { timeoutMs: 60_000 },
          );
        } finally {
          await life.kill();
        }
        // Every pocketsphinx process is tied to Hark's life (setpriv --pdeathsig): none outlives the kill.
        expect(await awaitMarkedGone(marker, new Set(), 10_000)).toEqual([]);
      };
      // Before any window is committed: the crash is forgiven only because the task was marked as
      // in an engine child, and stays marked while either of its two windows is being heard.
      await killWhen((chunks) => chunks === 0, 3, 'the first two windows being heard');
      // After a window is committed, with work in flight (two windows, or the last one and its spare,
      // depending on which ended first): the restart resumes at the committed one.
      await killWhen((chunks) => chunks >= 1, 2, 'a window committed and more being heard');
      const committedBefore = committed();
      expect(readEngineLog(engineLog).some((entry) => entry.event === 'done')).toBe(false);

      const last = await start(['--exit-when-idle']).exit;
      expect(last.code, last.stderr).toBe(0);

      const log = readEngineLog(engineLog);
      const starts = log.filter((entry) => entry.event === 'start');
      expect(starts.map((entry) => entry.startAt ?? 0).slice(0, 2)).toEqual([0, 0]);
      expect(starts).toHaveLength(3);
      // Resumed exactly at the last window committed before the second kill…
      expect(starts[2]?.startAt).toBeCloseTo(committedBefore.at(-1)?.end ?? -1, 6);
      // …and every window committed once, in order, across the lives.
      const indexes = log.filter((entry) => entry.event === 'chunk').map((entry) => entry.index);
      expect(indexes).toEqual(indexes.map((_, i) => i));
      expect(indexes.length).toBeGreaterThanOrEqual(4);

      const db = new Database(join(data, 'hark.db'), { readonly: true });
      let row: unknown;
      try {
        row = db
          .prepare(
            `SELECT bt.status, bt.attempts, bt.forgiven_crashes, t.status AS transcription, t.transcription_text AS text
             FROM background_tasks bt JOIN transcriptions t ON t.id = bt.transcription_id`,
          )
          .get();
      } finally {
        db.close();
      }
      // The same words as one window at a time, in one uninterrupted run.
      const engine = new ChunkedEngine(new PocketsphinxRecognizer(), { windowsAtOnce: 1 });
      const alone = await engine.transcribe(file, { signal: new AbortController().signal });
      await engine.dispose();
      expect(row).toEqual({
        status: 'completed',
        attempts: 1,
        forgiven_crashes: 1,
        transcription: 'complete',
        text: alone.text,
      });
    },
    180_000,
  );
});
