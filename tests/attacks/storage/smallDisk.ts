import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A real small filesystem (tmpfs) that a test can fill to the last byte:
 * Hark's notes and data folders go on it. Mounting needs root (CI runs as
 * root); `canMountTmpfs` says whether this machine allows it.
 */
export interface SmallDisk {
  path: string;
  /** Writes a filler file until the filesystem refuses (ENOSPC). */
  fill(): void;
  /** Deletes the filler: the space comes back. */
  free(): void;
}

export function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'hark-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}

export function mountSmallDisk(sizeMb: number): SmallDisk {
  const path = mkdtempSync(join(tmpdir(), 'hark-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', path]);
  // Registered first, so it runs after the app (registered later) has stopped; lazy, in case a
  // file is still open.
  onTestFinished(() => {
    execFileSync('umount', ['-l', path]);
    rmdirSync(path);
  });
  const filler = join(path, 'filler');
  return {
    path,
    fill() {
      mkdirSync(path, { recursive: true });
      const fd = openSync(filler, 'a');
      try {
        for (const size of [1 << 20, 1 << 12, 1]) {
          const chunk = Buffer.alloc(size, 1);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
  };
}
