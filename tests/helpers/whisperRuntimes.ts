import {
  BUILT_NATIVE_WHISPER,
  isExecutable,
  type WhisperRuntime,
} from '../../src/transcription/whisper/whisperRuntime.js';

/**
 * The native host the install built (or HARK_WHISPER_NATIVE's). Tests of it fail, never skip,
 * when it is missing: the message says how to build it.
 */
export function nativeWhisperRuntime(): WhisperRuntime & { kind: 'native' } {
  const binary = process.env.HARK_WHISPER_NATIVE || BUILT_NATIVE_WHISPER;
  if (!isExecutable(binary))
    throw new Error(
      `the native whisper host ${binary} is not built: run \`npm run build:whisper\` (needs cmake and g++)`,
    );
  return { kind: 'native', binary };
}

/** Both programs that can host a model, for suites that must hold for each. */
export const whisperRuntimes: {
  label: string;
  runtime: () => WhisperRuntime;
  env: Record<string, string>;
}[] = [
  { label: 'native whisper.cpp', runtime: nativeWhisperRuntime, env: { HARK_WHISPER_RUNTIME: 'native' } },
  {
    label: '@napi-rs/whisper binding',
    runtime: () => ({ kind: 'binding' }),
    env: { HARK_WHISPER_RUNTIME: 'binding' },
  },
];
