import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Whether `dist/` holds a build of every product source file in `src/` that is at least as new as
 * the source: then a child process can run the build with plain `node`, which starts in about a
 * quarter of the CPU time tsx needs to compile the CLI's import graph (hundreds of spawns over the
 * suite). `npm test` builds first, so it always gets the build; a test run straight after an edit
 * (`npx vitest run <file>`) finds the build stale and runs the source, so it never tests old code.
 */
export function buildIsFresh(root: string): boolean {
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  try {
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
      if (entry.name.endsWith('.d.ts')) continue;
      const source = join(entry.parentPath, entry.name);
      const built = join(dist, relative(src, source)).replace(/\.ts$/, '.js');
      if (statSync(built).mtimeMs < statSync(source).mtimeMs) return false;
    }
    return true;
  } catch {
    return false; // no build, or a source file the build lacks
  }
}
