/**
 * Builds hark-whisper, Hark's native whisper host, from the whisper.cpp source that the
 * nodejs-whisper package carries, for this machine's CPU: native/build/bin/hark-whisper.
 * It is about 1.5x faster per window than the prebuilt @napi-rs/whisper binding (BENCHMARKS.md),
 * which Hark uses when this binary is not there.
 *
 *   node scripts/build-whisper.mjs                  (npm run build:whisper: fails if it cannot build)
 *   node scripts/build-whisper.mjs --from-install   (npm postinstall: never fails the install)
 *
 * It does nothing when the binary's stamp matches (native/build/hark-whisper.stamp: a hash of
 * native/hark-whisper.cpp, native/CMakeLists.txt, whisper.cpp's version and this CPU).
 * HARK_SKIP_NATIVE_BUILD=1 skips it; HARK_WHISPER_SOURCE names another whisper.cpp source tree;
 * HARK_NATIVE_BUILD_DIR another build folder (the tests use one of their own).
 * The build's output goes to build.log in the build folder; CMake puts the binary in place by a
 * rename (native/CMakeLists.txt), so its path never holds half a binary.
 */
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildFailedMessage,
  buildHash,
  cannotBuildMessage,
  decide,
  exitCode,
  formatDuration,
  TOOLS,
} from './build-whisper-plan.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NATIVE = join(ROOT, 'native');
const DEFAULT_SOURCE = join(ROOT, 'node_modules', 'nodejs-whisper', 'cpp', 'whisper.cpp');

const fromInstall = process.argv.includes('--from-install');
const source = resolve(process.env.HARK_WHISPER_SOURCE || DEFAULT_SOURCE);
const buildDir = resolve(process.env.HARK_NATIVE_BUILD_DIR || join(NATIVE, 'build'));
const binary = join(buildDir, 'bin', 'hark-whisper');
const stampPath = join(buildDir, 'hark-whisper.stamp');
const logPath = join(buildDir, 'build.log');

function readOr(path, fallback) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** whisper.cpp's version from its CMakeLists, and the npm package's that carries it, if one does. */
function whisperVersion() {
  const cmake = readOr(join(source, 'CMakeLists.txt'), '');
  const project = /project\("whisper\.cpp" VERSION ([0-9.]+)\)/.exec(cmake)?.[1] ?? 'unknown';
  const pkg = JSON.parse(readOr(join(source, '..', '..', 'package.json'), '{}'));
  return `whisper.cpp ${project}; ${pkg.name ?? 'no package'} ${pkg.version ?? ''}`;
}

function onPath(tool) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

/** Runs a command with its output appended to the log; resolves to its exit code. */
function run(command, args, log) {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    child.on('error', () => done(127));
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** A binary that no longer matches the program would speak an older protocol: Hark must not start it. */
function removeStale() {
  rmSync(binary, { force: true });
  rmSync(stampPath, { force: true });
}

/** A build folder configured from another checkout (the folder was moved or copied) makes cmake refuse it. */
function forgetMovedCache() {
  const cache = readOr(join(buildDir, 'CMakeCache.txt'), '');
  const home = /^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m.exec(cache)?.[1];
  if (home === undefined || resolve(home) === resolve(NATIVE)) return;
  rmSync(join(buildDir, 'CMakeCache.txt'), { force: true });
  rmSync(join(buildDir, 'CMakeFiles'), { recursive: true, force: true });
}

async function build(hash) {
  mkdirSync(buildDir, { recursive: true });
  forgetMovedCache();
  const log = openSync(logPath, 'w');
  const jobs = String(availableParallelism());
  const started = Date.now();
  console.log(
    `hark: building whisper.cpp for this machine (a few minutes on ${jobs} cores; log: ${logPath})`,
  );
  const configure = ['-S', NATIVE, '-B', buildDir, `-DWHISPER_SOURCE=${source}`];
  let code = await run('cmake', configure, log);
  if (code === 0)
    code = await run('cmake', ['--build', buildDir, '--target', 'hark-whisper', '-j', jobs], log);
  if (code !== 0 || !existsSync(binary)) return false;
  const partial = `${stampPath}.partial`;
  writeFileSync(partial, `${hash}\n`);
  renameSync(partial, stampPath);
  console.log(`hark: built ${binary} in ${formatDuration(Date.now() - started)}`);
  return true;
}

async function main() {
  const hash = buildHash({
    program: readOr(join(NATIVE, 'hark-whisper.cpp'), ''),
    cmakeLists: readOr(join(NATIVE, 'CMakeLists.txt'), ''),
    whisperVersion: whisperVersion(),
    whisperSource: source,
    cpu: cpus()[0]?.model ?? 'unknown',
  });
  const decision = decide({
    skip: process.env.HARK_SKIP_NATIVE_BUILD === '1',
    binaryExists: existsSync(binary),
    stampHash: readOr(stampPath, '').trim() || undefined,
    hash,
    sourceFound: existsSync(join(source, 'include', 'whisper.h')),
    toolsFound: TOOLS.filter(onPath),
  });
  switch (decision.action) {
    case 'skip':
      console.log(
        'hark: HARK_SKIP_NATIVE_BUILD=1: not building whisper.cpp (Hark uses the prebuilt binding)',
      );
      return exitCode('skip', fromInstall);
    case 'upToDate':
      console.log(`hark: ${binary} is up to date`);
      return exitCode('upToDate', fromInstall);
    case 'noSource':
    case 'missingTools':
      removeStale();
      console.error(cannotBuildMessage(decision, { whisperSource: source }));
      return exitCode(decision.action, fromInstall);
    case 'build': {
      if (await build(hash)) return exitCode('built', fromInstall);
      removeStale();
      console.error(buildFailedMessage(logPath));
      return exitCode('failed', fromInstall);
    }
  }
}

process.exitCode = await main();
