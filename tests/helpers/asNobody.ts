/** Children of the tests that run as `nobody`, from the copy tests/helpers/nobodyKit.ts describes. */
import { isAbsolute, join, relative } from 'node:path';
import { inject } from 'vitest';
import { NOBODY } from './nobodyKit.js';
import { ROOT, spawnTracked } from './processes.js';

export { NOBODY };
export const isRoot = process.getuid?.() === 0;

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of buildNobodyKit, or '' when the suite does not run as root. */
    nobodyKit: string;
  }
}

/**
 * Runs a TypeScript file of this project (`script`, absolute or relative to the project) through tsx
 * as nobody, from the copy that globalSetup made. Only as root: nobody is root's way to be refused.
 */
export function spawnTsAsNobody(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const kit = inject('nobodyKit');
  if (!isRoot || !kit)
    throw new Error('spawnTsAsNobody needs the suite to run as root (see tests/helpers/globalSetup.ts)');
  return spawnTracked(
    process.execPath,
    ['--import', 'tsx', join(kit, isAbsolute(script) ? relative(ROOT, script) : script), ...args],
    {
      cwd: kit,
      uid: NOBODY,
      gid: NOBODY,
      env,
    },
  );
}
