import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { encodeWav } from '../transcription/wav.js';
import { NotesFolder } from './notesFolder.js';

function folder() {
  const dir = tempDir();
  const root = join(dir, 'notes');
  mkdirSync(root);
  const notes = new NotesFolder(root);
  const told: string[] = [];
  notes.onOwnFile({
    placed: (path) => told.push(`placed ${path}`),
    removed: (path) => told.push(`removed ${path}`),
  });
  return { dir, root, notes, told };
}

const wav = () => Readable.from([encodeWav(new Float32Array(1600), 16_000)]);

describe('NotesFolder', () => {
  it('receives an upload, places it under the first free name, and says so', async () => {
    const f = folder();
    const names = (n: number) => `call${n === 1 ? '' : ` (${n})`}.wav`;
    const first = await f.notes.receive(wav(), 'imports', () => false);
    expect(f.notes.place(first.path, 'imports', names)).toBe('imports/call.wav');
    const second = await f.notes.receive(wav(), 'imports', () => false);
    expect(f.notes.place(second.path, 'imports', names)).toBe('imports/call (2).wav');
    f.notes.remove('imports/call (2).wav');
    expect(readdirSync(join(f.root, 'imports'))).toEqual(['call.wav']);
    expect(f.told).toEqual([
      'placed imports/call.wav',
      'placed imports/call (2).wav',
      'removed imports/call (2).wav',
    ]);
  });

  it('copies a file in without replacing one there', () => {
    const f = folder();
    const source = join(f.dir, 'elsewhere.wav');
    writeFileSync(source, 'new');
    mkdirSync(join(f.root, 'imports'));
    writeFileSync(join(f.root, 'imports', 'elsewhere.wav'), 'old');
    const path = f.notes.copyIn(source, 'imports', (n) =>
      n === 1 ? 'elsewhere.wav' : `elsewhere (${n}).wav`,
    );
    expect(path).toBe('imports/elsewhere (2).wav');
    expect(readFileSync(join(f.root, 'imports', 'elsewhere.wav'), 'utf8')).toBe('old');
    expect(f.told).toEqual(['placed imports/elsewhere (2).wav']);
  });

  it('refuses paths that leave the folder, through a link too', () => {
    const f = folder();
    mkdirSync(join(f.dir, 'outside'));
    symlinkSync(join(f.dir, 'outside'), join(f.root, 'out'));
    expect(() => f.notes.resolve('../x.txt')).toThrow(/outside the notes folder/);
    expect(() => f.notes.resolve('out/x.txt')).toThrow(/outside the notes folder/);
    expect(() => f.notes.writeSidecar('out/x.txt', 'text')).toThrow(/outside the notes folder/);
    expect(() => f.notes.resolve('/etc/passwd')).toThrow(/Invalid path/);
    expect(f.notes.locate(join(f.root, 'a', 'b.wav'))).toBe('a/b.wav');
    expect(f.notes.locate(join(f.dir, 'outside', 'b.wav'))).toBeNull();
  });
});
