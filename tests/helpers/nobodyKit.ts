/**
 * Root reads every folder, so the permission tests run their child as `nobody`. That child cannot
 * use the clone itself: a clone inside a folder only its owner may enter (mode 0700, as root's home
 * is) is out of nobody's reach, and its node_modules with it (`Cannot find package 'tsx'`).
 * So, when the suite runs as root, tests/helpers/globalSetup.ts puts a copy of what a child needs
 * (sources, migrations, node_modules) in a temporary folder anyone may read, checks that nobody
 * can run from it, and hands its path to the tests; children as nobody run the copy.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Exit, exited, ROOT, spawnTracked } from './processes.js';

export const NOBODY = 65534;

/** What a child of the tests runs: everything but .git, dist and the like. */
const KIT_ENTRIES = ['package.json', 'tsconfig.json', 'bin', 'migrations', 'scripts', 'src', 'tests', 'web'];

/** Builds the copy (see above) and returns its folder. Hard links for node_modules where they can be made. */
export function buildNobodyKit(): string {
  const kit = mkdtempSync(join(tmpdir(), 'hark-nobody-'));
  for (const entry of KIT_ENTRIES) {
    const from = join(ROOT, entry);
    if (existsSync(from)) cpSync(from, join(kit, entry), { recursive: true, dereference: true });
  }
  // A copy can be made readable without touching the clone (its umask may have been 077).
  execFileSync('chmod', ['-R', 'a+rX', kit]);
  // node_modules (350 MB) is linked, not copied, when it lives on the same file system: links share
  // the files' modes, and npm writes them world-readable. A worktree's node_modules may be a symlink.
  const modules = realpathSync(join(ROOT, 'node_modules'));
  mkdirSync(join(kit, 'node_modules'));
  try {
    execFileSync('cp', ['-al', `${modules}/.`, join(kit, 'node_modules')], { stdio: 'pipe' });
  } catch {
    rmSync(join(kit, 'node_modules'), { recursive: true, force: true });
    cpSync(modules, join(kit, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', join(kit, 'node_modules')]);
  }
  chmodSync(kit, 0o755);
  return kit;
}

/** The check globalSetup runs: one scan, as nobody, from the copy, of folders in the temporary folder. */
export async function probeNobodyKit(kit: string): Promise<Exit> {
  const dir = mkdtempSync(join(tmpdir(), 'hark-nobody-probe-'));
  try {
    mkdirSync(join(dir, 'notes'));
    mkdirSync(join(dir, 'data'));
    execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
    chmodSync(dir, 0o755);
    const script = join(kit, 'tests/helpers/scanOnce.ts');
    const child = spawnTracked(
      process.execPath,
      ['--import', 'tsx', script, join(dir, 'notes'), join(dir, 'data')],
      {
        cwd: kit,
        uid: NOBODY,
        gid: NOBODY,
        env: { ...process.env, HOME: join(dir, 'data') },
      },
    );
    return await exited(child);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
