import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildHash,
  cannotBuildMessage,
  decide,
  exitCode,
  formatDuration,
  type Situation,
} from '../scripts/build-whisper-plan.mjs';
import { exited, ROOT, spawnTracked } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';

const SCRIPT = join(ROOT, 'scripts', 'build-whisper.mjs');

const inputs = {
  program: 'int main(){}',
  cmakeLists: 'project(x)',
  whisperVersion: '1.9.1',
  whisperSource: '/w',
  cpu: 'cpu',
};
const HASH = buildHash(inputs);
const ready: Situation = {
  skip: false,
  binaryExists: true,
  stampHash: HASH,
  hash: HASH,
  sourceFound: true,
  toolsFound: ['cmake', 'g++', 'make'],
};

describe('build-whisper: the decision', () => {
  it('does nothing when the binary is there with a matching stamp, tools or not', () => {
    expect(decide(ready)).toEqual({ action: 'upToDate' });
    expect(decide({ ...ready, toolsFound: [], sourceFound: false })).toEqual({ action: 'upToDate' });
  });

  it('builds when the stamp is missing or differs, or the binary is gone', () => {
    expect(decide({ ...ready, stampHash: undefined })).toEqual({ action: 'build' });
    expect(decide({ ...ready, stampHash: 'older' })).toEqual({ action: 'build' });
    expect(decide({ ...ready, binaryExists: false })).toEqual({ action: 'build' });
  });

  it('names the missing tools, and the missing source before them', () => {
    const stale = { ...ready, stampHash: undefined };
    expect(decide({ ...stale, toolsFound: ['make'] })).toEqual({
      action: 'missingTools',
      missing: ['cmake', 'g++'],
    });
    expect(decide({ ...stale, toolsFound: [], sourceFound: false })).toEqual({ action: 'noSource' });
  });

  it('skips on HARK_SKIP_NATIVE_BUILD, whatever else holds', () => {
    expect(decide({ ...ready, skip: true, binaryExists: false })).toEqual({ action: 'skip' });
  });

  it('changes its hash with each input', () => {
    for (const key of Object.keys(inputs) as (keyof typeof inputs)[]) {
      expect(buildHash({ ...inputs, [key]: `${inputs[key]}!` })).not.toBe(HASH);
    }
    // Parts are length-prefixed: text moved from one part to the next is another build.
    expect(buildHash({ ...inputs, program: 'int main(){}p', cmakeLists: 'roject(x)' })).not.toBe(HASH);
  });

  it('never fails an install, and fails a direct run that could not build', () => {
    for (const action of ['missingTools', 'noSource', 'failed'] as const) {
      expect(exitCode(action, true)).toBe(0);
      expect(exitCode(action, false)).toBe(1);
    }
    for (const action of ['skip', 'upToDate', 'built'] as const) expect(exitCode(action, false)).toBe(0);
  });

  it('says what to install and what Hark does meanwhile', () => {
    const message = cannotBuildMessage(
      { action: 'missingTools', missing: ['cmake'] },
      { whisperSource: '/w' },
    );
    expect(message).toContain('cmake not found');
    expect(message).toContain('sudo apt-get install cmake g++');
    expect(message).toContain('prebuilt @napi-rs/whisper binding');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(229_000)).toBe('3 min 49 s');
  });
});

/** The script itself, on a PATH of our making and a build folder of its own (the real one is left alone). */
async function runScript(args: string[], path: string, buildDir: string) {
  const child = spawnTracked(process.execPath, [SCRIPT, ...args], {
    env: { PATH: path, HARK_NATIVE_BUILD_DIR: buildDir, HOME: buildDir },
  });
  return exited(child);
}

/** A folder of executables that each print their name and exit with `code`. */
function fakeTools(dir: string, tools: string[], code: number): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of tools) {
    const file = join(dir, tool);
    writeFileSync(file, `#!/bin/sh\necho "fake ${tool} $*"\nexit ${code}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

describe('build-whisper: the script', () => {
  it('without cmake: an install goes on (exit 0) with the message; a direct run fails', async () => {
    const dir = tempDir('hark-build-whisper-');
    const path = fakeTools(join(dir, 'tools'), ['g++', 'make'], 0);
    const buildDir = join(dir, 'build');
    // An old binary left from an earlier build would speak an older protocol: it goes.
    mkdirSync(join(buildDir, 'bin'), { recursive: true });
    writeFileSync(join(buildDir, 'bin', 'hark-whisper'), 'old');

    const install = await runScript(['--from-install'], path, buildDir);
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(install.stderr).toContain('cmake not found');
    expect(install.stderr).toContain('sudo apt-get install cmake g++');
    expect(install.stderr).toContain('prebuilt @napi-rs/whisper binding');
    expect(existsSync(join(buildDir, 'bin', 'hark-whisper'))).toBe(false);

    const direct = await runScript([], path, buildDir);
    expect(direct.code).toBe(1);
    expect(direct.stderr).toContain('cmake not found');
  });

  it('a failed build: an install goes on with the log path; a direct run fails; no stamp is written', async () => {
    const dir = tempDir('hark-build-whisper-');
    const path = fakeTools(join(dir, 'tools'), ['cmake', 'g++', 'make'], 1);
    const buildDir = join(dir, 'build');
    // Configured from a checkout that has since moved: cmake would refuse that cache, so it goes.
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(join(buildDir, 'CMakeCache.txt'), 'CMAKE_HOME_DIRECTORY:INTERNAL=/elsewhere/native\n');

    const install = await runScript(['--from-install'], path, buildDir);
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(existsSync(join(buildDir, 'CMakeCache.txt'))).toBe(false);
    const log = join(buildDir, 'build.log');
    expect(install.stderr).toContain(`failed; its log: ${log}`);
    expect(readFileSync(log, 'utf8')).toContain('fake cmake -S');
    expect(existsSync(join(buildDir, 'hark-whisper.stamp'))).toBe(false);

    const direct = await runScript([], path, buildDir);
    expect(direct.code).toBe(1);
  });

  it('HARK_SKIP_NATIVE_BUILD=1 skips without looking for tools', async () => {
    const dir = tempDir('hark-build-whisper-');
    const child = spawnTracked(process.execPath, [SCRIPT], {
      env: { PATH: dir, HARK_NATIVE_BUILD_DIR: join(dir, 'build'), HARK_SKIP_NATIVE_BUILD: '1' },
    });
    const run = await exited(child);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('HARK_SKIP_NATIVE_BUILD=1');
  });
});
