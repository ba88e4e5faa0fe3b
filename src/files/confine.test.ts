import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/tmp.js';
import { confine } from './confine.js';

function folder() {
  const dir = tempDir();
  const root = join(dir, 'notes');
  mkdirSync(join(root, 'a'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(root, 'a', 'one.wav'), 'x');
  const inside = (path: string) => confine(root, realpathSync(root), path);
  return { dir, root, inside };
}

describe('confine', () => {
  it('takes paths inside by name, relative or absolute, existing or not yet', () => {
    const f = folder();
    expect(f.inside('a/one.wav')).toBe('a/one.wav');
    expect(f.inside(join(f.root, 'a', 'one.wav'))).toBe('a/one.wav');
    expect(f.inside('a/new/deeper/file.txt')).toBe('a/new/deeper/file.txt');
    expect(f.inside('a/../a/one.wav')).toBe('a/one.wav');
    expect(f.inside('%2e%2e/x')).toBe('%2e%2e/x');
    expect(f.inside('')).toBe('');
  });

  it('refuses .., other absolute paths and NUL', () => {
    const f = folder();
    expect(f.inside('../outside/x.wav')).toBeNull();
    expect(f.inside('/etc/passwd')).toBeNull();
    expect(f.inside(join(f.dir, 'notes-other', 'x'))).toBeNull();
    expect(f.inside('a/one.wav\0')).toBeNull();
  });

  it('follows symbolic links: inside is fine, out of the folder, dangling or looping is not', () => {
    const f = folder();
    symlinkSync(join(f.root, 'a'), join(f.root, 'alias'));
    symlinkSync(join(f.dir, 'outside'), join(f.root, 'out'));
    symlinkSync(join(f.dir, 'outside', 'nothing'), join(f.root, 'dangling.wav'));
    symlinkSync(join(f.root, 'loop'), join(f.root, 'loop'));
    expect(f.inside('alias/one.wav')).toBe('alias/one.wav');
    expect(f.inside('out')).toBeNull();
    expect(f.inside('out/new/file.txt')).toBeNull();
    expect(f.inside('dangling.wav')).toBeNull();
    expect(f.inside('loop/x')).toBeNull();
  });
});
