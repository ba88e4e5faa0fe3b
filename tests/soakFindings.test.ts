import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { authHeaders } from './helpers/auth.js';
import { descendants } from './helpers/childProcesses.js';
import { readEngineLog } from './helpers/engineLog.js';
import { wavBuffer } from './helpers/multipart.js';
import { SENTENCES, speak } from './helpers/speech.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';
import { HarkLife } from './soak/harkProcess.js';
import { upload } from './soak/uploads.js';

/** What the crash soak found, each pinned down by a test of its own. */
describe('found by the crash soak', () => {
  it('an import cut off by a kill mid-upload leaves no hidden part file behind after the restart', async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    const start = (extra: string[] = []) =>
      new HarkLife({
        notes,
        data: join(dir, 'data'),
        engineLog: join(dir, 'engine.log'),
        marker: `findings-${process.pid}`,
        stderrFile: join(dir, 'hark.log'),
        engine: 'fake',
        extraArgs: extra,
      });
    const first = start();
    const url = await first.running();
    if (!url) throw new Error(first.stderr);
    const bytes = wavBuffer(5);
    const inFlight = upload(
      url,
      'import',
      { id: 0, name: 'memo.wav', format: 'wav', bytes },
      true,
      authHeaders(join(dir, 'data')),
    );
    const parts = () => readdirSync(join(notes, 'imports')).filter((name) => name.endsWith('.part'));
    await eventually(() => existsSync(join(notes, 'imports')) && parts().length === 1, 'the part file');
    await first.kill();
    expect((await inFlight).acknowledged).toBe(false);
    expect(parts()).toHaveLength(1);

    const second = start(['--exit-when-idle']);
    const exit = await second.exit;
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).toMatch(/removed 1 import\(s\) a crash had cut off mid-upload/);
    expect(parts()).toEqual([]);
  }, 60_000);

  it('outside kills while pocketsphinx hears a short file do not fail it as a poison pill', async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes');
    const data = join(dir, 'data');
    const file = join(notes, 'note.wav');
    speak(SENTENCES[0], file);
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(file, hourAgo, hourAgo);
    const start = (extra: string[] = []) =>
      new HarkLife({
        notes,
        data,
        engineLog: join(dir, 'engine.log'),
        marker: `findings-${process.pid}`,
        stderrFile: join(dir, 'hark.log'),
        extraArgs: ['--max-retries', '2', ...extra],
      });
    // Four kills from outside, each while the recogniser's child process hears the one window: before
    // the fix the third already failed the file as "crashed" (three attempts with max_retries 2).
    for (let kill = 0; kill < 4; kill++) {
      const life = start();
      try {
        const hearing = await eventually(
          () => {
            const failed = /recovered after a crash: .*, [1-9]\d* failed/.exec(life.stderr);
            if (failed)
              throw new Error(`after ${kill} kills the file was failed as a poison pill: ${failed[0]}`);
            return descendants(life.pid).find((p) => p.command.startsWith('pocketsphinx'));
          },
          'pocketsphinx hearing the file',
          { timeoutMs: 30_000 },
        );
        await life.kill();
        // The recogniser runs in its own process group, which outlives Hark: ours to end.
        try {
          process.kill(-hearing.pid, 'SIGKILL');
        } catch {
          // already done
        }
      } finally {
        await life.kill();
      }
    }
    const last = await start(['--exit-when-idle']).exit;
    expect(last.code, last.stderr).toBe(0);
    const db = new Database(join(data, 'hark.db'), { readonly: true });
    try {
      const row = db
        .prepare(
          `SELECT bt.status, bt.attempts, bt.forgiven_crashes, t.status AS transcription FROM background_tasks bt
           JOIN transcriptions t ON t.id = bt.transcription_id`,
        )
        .get();
      expect(row).toEqual({
        status: 'completed',
        attempts: 1,
        forgiven_crashes: 4,
        transcription: 'complete',
      });
    } finally {
      db.close();
    }
    const log = readEngineLog(join(dir, 'engine.log'));
    expect(log.filter((e) => e.event === 'start')).toHaveLength(5);
    expect(log.filter((e) => e.event === 'done')).toHaveLength(1);
  }, 120_000);
});
