import { chmodSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptionJson } from '../src/core/json.js';
import { fakeAudio } from '../src/transcription/fakeEngine.js';
import { CLI, exited, runCli, spawnTs } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';

describe('hark notes, rename, edit, rm, restore', () => {
  it('lists, renames, edits (--text and $EDITOR), trashes and restores notes', async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes');
    const data = join(dir, 'data');
    mkdirSync(join(notes, '2024-05-05'), { recursive: true });
    const audio = join(notes, '2024-05-05/071500-voice-note.wav');
    writeFileSync(audio, fakeAudio({ text: 'garden thoughts', duration: 75 }));
    utimesSync(audio, Date.now() / 1000 - 60, Date.now() / 1000 - 60);
    // An "editor" that replaces the file it is given, as a person would.
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "typed in the editor\\n" > "$1"\n');
    chmodSync(editor, 0o755);
    const env = {
      HARK_NOTES_DIR: notes,
      HARK_DATA_DIR: data,
      HARK_ENGINE: 'fake',
      HARK_PORT: '0',
      EDITOR: editor,
    };
    const cli = (...args: string[]) => runCli(args, env);
    const run = await exited(
      spawnTs(CLI, ['start', '--no-watch', '--no-serve', '--exit-when-idle'], {
        env: { ...process.env, ...env },
      }),
    );
    expect(run.code, run.stderr).toBe(0);

    const listed = await cli('notes');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /071500-voice-note\s+2024-05-05 07:15\s+1m 15s\s+2024-05-05\s+Found in your notes folder/,
    );
    const json = JSON.parse((await cli('notes', '--json')).stdout) as { transcriptions: TranscriptionJson[] };
    const id = json.transcriptions[0]?.id as string;
    expect(id).toMatch(/^[0-9a-f]{20}$/);

    const renamed = await cli('rename', id, 'Garden', 'plans');
    expect([renamed.code, renamed.stdout]).toEqual([0, `Renamed ${id} to "Garden plans".\n`]);
    expect((await cli('edit', id, '--text', 'roses by the wall')).code).toBe(0);
    expect(readFileSync(join(notes, '2024-05-05/071500-voice-note.txt'), 'utf8')).toBe('roses by the wall\n');
    const edited = await cli('edit', id);
    expect(edited.code, edited.stderr).toBe(0);
    const after = JSON.parse((await cli('notes', '--json')).stdout) as {
      transcriptions: TranscriptionJson[];
    };
    expect(after.transcriptions[0]).toMatchObject({
      title: 'Garden plans',
      transcription_text: 'typed in the editor',
      edited: true,
    });
    expect((await cli('notes')).stdout).toMatch(/Garden plans.*edited/);

    const removed = await cli('rm', id);
    expect([removed.code, removed.stdout]).toEqual([
      0,
      `Moved "Garden plans" to the trash. hark restore ${id} brings it back.\n`,
    ]);
    expect(existsSync(audio)).toBe(false);
    expect((await cli('notes')).stdout).toBe('No notes yet.\n');
    expect((await cli('notes', '--trashed')).stdout).toMatch(/Garden plans/);
    const restored = await cli('restore', id);
    expect([restored.code, restored.stdout]).toEqual([
      0,
      `Restored "Garden plans" to 2024-05-05/071500-voice-note.wav.\n`,
    ]);
    expect(existsSync(audio)).toBe(true);
    const again = await cli('restore', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not in the trash/);
    expect((await cli('rename', 'nope', 'x')).stderr).toMatch(/usage: hark rename <id> <title>/);
  }, 120_000);
});
