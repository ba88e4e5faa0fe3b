/**
 * What scripts/build-whisper.mjs decides, as pure functions (tests/buildWhisperPlan.test.ts):
 * whether hark-whisper is up to date, whether it can be built here, and what to tell the user.
 * Plain JavaScript with a .d.mts beside it: the script runs as npm `postinstall`, before tsx could.
 */
import { createHash } from 'node:crypto';

/** The tools the build runs: cmake, and the compiler and make that cmake's Makefiles call. */
export const TOOLS = ['cmake', 'g++', 'make'];

/**
 * The stamp's hash: everything that decides the binary. The program and the CMakeLists by their
 * text, whisper.cpp by its version and where it is, and the CPU it is built for (GGML_NATIVE).
 */
export function buildHash({ program, cmakeLists, whisperVersion, whisperSource, cpu }) {
  const hash = createHash('sha256');
  for (const part of [program, cmakeLists, whisperVersion, whisperSource, cpu]) {
    hash.update(String(part.length));
    hash.update(':');
    hash.update(part);
  }
  return hash.digest('hex');
}

/**
 * What to do, given what is on disk and on PATH:
 * - `skip`: HARK_SKIP_NATIVE_BUILD=1;
 * - `upToDate`: the binary is there and its stamp has this hash (no tools needed);
 * - `noSource`: whisper.cpp's source is not there;
 * - `missingTools`: some of TOOLS are not on PATH (`missing` names them);
 * - `build`.
 */
export function decide({ skip, binaryExists, stampHash, hash, sourceFound, toolsFound }) {
  if (skip) return { action: 'skip' };
  if (binaryExists && stampHash === hash) return { action: 'upToDate' };
  if (!sourceFound) return { action: 'noSource' };
  const missing = TOOLS.filter((tool) => !toolsFound.includes(tool));
  if (missing.length > 0) return { action: 'missingTools', missing };
  return { action: 'build' };
}

const FALLBACK =
  'Meanwhile Hark uses the prebuilt @napi-rs/whisper binding, which works but is about 1.5x slower.';

/** The message for a build that cannot happen, with what to install or fix. */
export function cannotBuildMessage(decision, { whisperSource }) {
  if (decision.action === 'missingTools') {
    return [
      `hark: cannot build whisper.cpp for this machine: ${decision.missing.join(', ')} not found.`,
      'Install them (Debian/Ubuntu: sudo apt-get install cmake g++ make), then run: npm run build:whisper',
      FALLBACK,
    ].join('\n');
  }
  return [
    `hark: cannot build whisper.cpp for this machine: no whisper.cpp source at ${whisperSource}.`,
    'It comes in the nodejs-whisper package: run npm ci, then npm run build:whisper',
    FALLBACK,
  ].join('\n');
}

/** The message for a build that failed. */
export function buildFailedMessage(logPath) {
  return [
    `hark: building whisper.cpp for this machine failed; its log: ${logPath}`,
    'Fix what the log says, then run: npm run build:whisper',
    FALLBACK,
  ].join('\n');
}

/** The exit code: an install never fails for want of the native host; a direct run does. */
export function exitCode(action, fromInstall) {
  if (action === 'skip' || action === 'upToDate' || action === 'built') return 0;
  return fromInstall ? 0 : 1;
}

/** "3 min 49 s", "42 s". */
export function formatDuration(ms) {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
