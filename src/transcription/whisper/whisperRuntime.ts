import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Which program hosts a whisper model. `native` is hark-whisper, whisper.cpp built for this
 * machine at install (native/, scripts/build-whisper.mjs); `binding` is the prebuilt
 * @napi-rs/whisper in a Node child process (host.ts), about 1.5× slower per window
 * (BENCHMARKS.md), kept for a machine that could not build the native one.
 */
export type WhisperRuntime = { kind: 'native'; binary: string } | { kind: 'binding' };

/** Where the install's build puts hark-whisper: the package's native/build/bin (src/ and dist/ sit at the same depth). */
export const BUILT_NATIVE_WHISPER = fileURLToPath(
  new URL('../../../native/build/bin/hark-whisper', import.meta.url),
);

/**
 * The runtime to use: HARK_WHISPER_RUNTIME=binding forces the binding, =native insists on the
 * native host (failing clearly if it is not built); HARK_WHISPER_NATIVE names another binary.
 * Otherwise the native host when it is built, else the binding.
 */
export function defaultWhisperRuntime(env: NodeJS.ProcessEnv = process.env): WhisperRuntime {
  const wanted = env.HARK_WHISPER_RUNTIME;
  if (wanted === 'binding') return { kind: 'binding' };
  const binary = env.HARK_WHISPER_NATIVE || BUILT_NATIVE_WHISPER;
  if (wanted === 'native' || isExecutable(binary)) return { kind: 'native', binary };
  return { kind: 'binding' };
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** For `hark doctor` and the logs: what hosts whisper, in a few words. */
export function describeWhisperRuntime(runtime: WhisperRuntime): string {
  return runtime.kind === 'native'
    ? `whisper.cpp built for this machine (${runtime.binary})`
    : 'the prebuilt @napi-rs/whisper binding (slower: `npm run build:whisper` builds whisper.cpp for this machine)';
}
