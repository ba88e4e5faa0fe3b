import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Whether the absolute, normalised `path` is `root` or lies under it, by name. */
export function within(root: string, path: string): boolean {
  const back = relative(root, path);
  return back === '' || (back !== '..' && !back.startsWith(`..${sep}`) && !isAbsolute(back));
}

/**
 * The real path `path` would have: the real path of its nearest existing
 * ancestor (every symbolic link on the way followed) with the missing rest
 * appended. Null when it cannot be told: a link loop, a dangling link (which
 * a write would follow to wherever it points), a folder that cannot be entered.
 */
function realPathOfNearest(path: string): string | null {
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return null;
      if (isDanglingLink(existing)) return null;
      const parent = dirname(existing);
      if (parent === existing) return null;
      missing.unshift(basename(existing));
      existing = parent;
    }
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The one rule for "is this path inside the notes folder": `path` (relative
 * to `root`, or absolute) must lie under `root` by name, and its real path
 * (that of its nearest existing ancestor, so a symbolic link anywhere on the
 * way counts) under `rootReal`. Returns the '/'-separated path relative to
 * the root ('' for the root itself), or null when the path leads out.
 * Names are taken literally: `%2e%2e` and backslashes are ordinary characters.
 */
export function confine(root: string, rootReal: string, path: string): string | null {
  if (path.includes('\0')) return null;
  const absolute = resolve(root, path);
  if (!within(root, absolute)) return null;
  const real = realPathOfNearest(absolute);
  if (real === null || !within(rootReal, real)) return null;
  return relative(root, absolute).split(sep).join('/');
}
