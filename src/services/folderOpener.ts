import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The program that opens a folder in the desktop's file manager (Linux: xdg-open). */
export const OPENER = 'xdg-open';

/** Where the opener is on PATH (read at each call, so a test's PATH counts), or null. */
export function findOpener(path: string | undefined = process.env.PATH): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, OPENER);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Runs `<opener> <folder>` with the folder as one argument (never through a shell), detached,
 * and resolves once it started (true) or could not be started (false). The file manager's own
 * fate is its business: Hark does not wait for it.
 */
export function openFolder(opener: string, folder: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(opener, [folder], { stdio: 'ignore', detached: true, shell: false });
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
    child.once('error', () => resolve(false));
  });
}
