import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, ROOT, spawnTracked } from './helpers/processes.js';
import { suiteDir } from './helpers/tmp.js';

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** The generator of synthetic whisper models, and anything else that exists only for tests. */
const TEST_MACHINERY =
  /(^|\/)(ggmlModel|syntheticTensors|vocabulary|random|half)\.js$|\.test\.js$|(^|\/)tests?\//;

/** What the product's own source may not do: read the environment from core, or a test switch outside config.ts. */
const ENV_READ = /\bprocess\.env\b|from 'node:process'/;
const TEST_SWITCH_READ = /env(\.|\[')(HARK_CRASH_AT|HARK_ENGINE_LOG|HARK_FAKE_CHUNK_MS)\b/;

describe('what the build ships', () => {
  const out = suiteDir('hark-dist-');
  let built: string[] = [];

  beforeAll(async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = await exited(
      spawnTracked(
        process.execPath,
        [tsc, '-p', 'tsconfig.build.json', '--outDir', out.path, '--sourceMap', 'false'],
        { cwd: ROOT },
      ),
    );
    expect(build.code, build.stdout + build.stderr).toBe(0);
    built = filesUnder(out.path);
  }, 60_000);
  afterAll(() => out.remove());

  it('is the product, with no test machinery in it', () => {
    expect(built).toContain(join('cli', 'main.js')); // the build really ran, into the folder we look at
    expect(built.filter((path) => TEST_MACHINERY.test(path))).toEqual([]);
  });

  it('comes from a core that reads no environment, and test switches read only by config.ts', () => {
    const source = filesUnder(join(ROOT, 'src')).filter((p) => p.endsWith('.ts') && !p.endsWith('.test.ts'));
    const read = (path: string) => readFileSync(join(ROOT, 'src', path), 'utf8');
    expect(source.filter((p) => p.startsWith('core/') && ENV_READ.test(read(p)))).toEqual([]);
    expect(source.filter((p) => TEST_SWITCH_READ.test(read(p)))).toEqual([join('app', 'config.ts')]);
  });
});
