import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAll, lazySuiteDir } from '../../tests/helpers/audioFiles.js';
import { encodeWav, removeStaleWindowFolders, withWindowWav } from './wav.js';

const folder = lazySuiteDir('hark-wav-');
afterAll(() => folder.remove());

describe('encodeWav', () => {
  it('writes 16-bit samples that ffmpeg decodes back bit for bit', async () => {
    const samples = Float32Array.from(
      { length: 4000 },
      (_, i) => Math.round(Math.sin(i / 7) * 20000) / 32768,
    );
    const path = join(folder.path, 'round-trip.wav');
    writeFileSync(path, encodeWav(samples));
    expect(Array.from(await decodeAll(path))).toEqual(Array.from(samples));
  });

  it('clips samples outside -1..1 instead of wrapping them', () => {
    const wav = encodeWav(Float32Array.from([1.5, -1.5, 1, -1]));
    expect([0, 1, 2, 3].map((i) => wav.readInt16LE(44 + i * 2))).toEqual([32767, -32768, 32767, -32768]);
  });
});

describe('withWindowWav', () => {
  it('removes its folder afterwards, even when the work fails', async () => {
    let seen = '';
    await expect(
      withWindowWav(new Float32Array(10), async (wavPath) => {
        seen = wavPath;
        expect(existsSync(wavPath)).toBe(true);
        throw new Error('recogniser crashed');
      }),
    ).rejects.toThrow('recogniser crashed');
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
  });
});

describe('removeStaleWindowFolders', () => {
  it('removes the window folders of dead Hark processes and keeps those of running ones', () => {
    const tmp = join(folder.path, 'tmp');
    mkdirSync(tmp);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(join(tmp, `hark-window-${dead}-abc123`));
    writeFileSync(join(tmp, `hark-window-${dead}-abc123`, 'window.wav'), 'x');
    mkdirSync(join(tmp, `hark-window-${process.pid}-def456`));
    mkdirSync(join(tmp, 'hark-window-xyz789')); // not named after a process: not Hark's to judge
    mkdirSync(join(tmp, 'something-else'));

    expect(removeStaleWindowFolders(tmp)).toBe(1);
    expect(readdirSync(tmp).sort()).toEqual(
      [`hark-window-${process.pid}-def456`, 'hark-window-xyz789', 'something-else'].sort(),
    );
  });
});
