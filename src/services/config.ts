import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CrashPlan, parseCrashPlan } from '../core/crashPoints.js';
import { BadRequest } from '../core/errors.js';
import { type LanguageChoice, parseLanguage } from '../core/languages.js';
import { SIDECAR_FORMATS, type SidecarFormat } from '../core/orphans.js';

import { ENGINE_CHOICES, type EngineChoice } from '../core/settings.js';

export { ENGINE_CHOICES, type EngineChoice };

export interface HarkConfig {
  notesDir: string;
  dataDir: string;
  dbPath: string;
  engine: EngineChoice;
  /** A whisper model file the user already has (--model / HARK_MODEL). */
  modelPath: string | null;
  /** The catalog model to use or pull when no file is given. */
  modelName: string;
  /** --language: `auto` (detect) or a whisper code; null: the engine's default (en for *.en models and pocketsphinx, auto otherwise). */
  language: LanguageChoice | null;
  /** --translate: whisper's translate-to-English task (multilingual models only). */
  translate: boolean;
  /** The `command` engine's template, with {input} and {output}. */
  command: string | null;
  host: string;
  port: number;
  maxRetries: number;
  preempt: 'always' | 'never';
  uploadLimitBytes: number;
  /** Seconds without work after which a model is freed. */
  modelIdleSeconds: number;
  writeSidecars: boolean;
  /** What Hark writes beside the audio: `<stem>.txt` (the text) or `<stem>.md` (the Markdown export). */
  sidecarFormat: SidecarFormat;
  /**
   * Test switches: environment only, no flag, not in the user's help. The crash
   * tests and the soak set them on the `hark start` processes they run.
   * HARK_CRASH_AT=<point>[:<n>]: die at a crash point (see core/crashPoints.ts).
   */
  crashAt: CrashPlan | null;
  /** HARK_ENGINE_LOG=<file>: every engine call, chunk and finished file logged there (LoggingEngine). */
  engineLog: string | null;
  /** HARK_FAKE_CHUNK_MS=<ms>: the fake engine's time per chunk (default its own). */
  fakeChunkMs: number | null;
  /** --keep-completed-days: completed tasks older than this are pruned (0: kept for ever). */
  keepCompletedDays: number;
  /** Which options the command line or the environment gave: they win over saved settings (services/settings.ts). */
  sources: Partial<Record<OptionName, 'flag' | 'env'>>;
  /** HARK_MODEL_BASE_URL=<url>: where models are downloaded from (tests serve their own). */
  modelBaseUrl: string | null;
  /** HARK_MODEL_CATALOG=<file>: a JSON catalog replacing the built-in one (tests serve synthetic models). */
  modelCatalogFile: string | null;
}

/** Every option: its flag, its environment variable, and how to read it. */
export const OPTION_SPECS = {
  notes: { env: 'HARK_NOTES_DIR', type: 'string', help: 'notes folder (default ~/VoiceNotes)' },
  data: {
    env: 'HARK_DATA_DIR',
    type: 'string',
    help: 'data folder holding hark.db (default $XDG_DATA_HOME/hark)',
  },
  engine: {
    env: 'HARK_ENGINE',
    type: 'string',
    help: `transcription engine: ${ENGINE_CHOICES.join('|')} (fake: a demo with no model)`,
  },
  model: { env: 'HARK_MODEL', type: 'string', help: 'path of a whisper ggml model file to use' },
  'model-name': {
    env: 'HARK_MODEL_NAME',
    type: 'string',
    help: 'whisper model to use or pull (default base.en)',
  },
  language: {
    env: 'HARK_LANGUAGE',
    type: 'string',
    help: 'auto|<code>: the language spoken (default en for *.en models and pocketsphinx, else auto)',
  },
  translate: {
    env: 'HARK_TRANSLATE',
    type: 'boolean',
    help: 'translate into English (multilingual whisper models only)',
  },
  command: { env: 'HARK_COMMAND', type: 'string', help: 'command engine template with {input} and {output}' },
  host: { env: 'HARK_HOST', type: 'string', help: 'address to listen on (default 127.0.0.1)' },
  port: { env: 'HARK_PORT', type: 'string', help: 'port of the web app (default 4477)' },
  'max-retries': {
    env: 'HARK_MAX_RETRIES',
    type: 'string',
    help: 'retries after a failed attempt (default 2)',
  },
  preempt: {
    env: 'HARK_PREEMPT',
    type: 'string',
    help: 'always|never: stop background work when you record',
  },
  'upload-limit': {
    env: 'HARK_UPLOAD_LIMIT_MB',
    type: 'string',
    help: 'largest upload in MB (default 2048)',
  },
  'model-idle': {
    env: 'HARK_MODEL_IDLE_SECONDS',
    type: 'string',
    help: 'free the model after this idle time',
  },
  'no-sidecars': {
    env: 'HARK_NO_SIDECARS',
    type: 'boolean',
    help: 'do not write transcripts beside the audio',
  },
  'sidecar-format': {
    env: 'HARK_SIDECAR_FORMAT',
    type: 'string',
    help: 'txt|md: write <stem>.txt, or <stem>.md with front matter for note apps',
  },
  'keep-completed-days': {
    env: 'HARK_KEEP_COMPLETED_DAYS',
    type: 'string',
    help: 'prune completed tasks after this many days (default 30; 0 keeps them)',
  },
} as const;

export type OptionName = keyof typeof OPTION_SPECS;
export type RawOptions = Partial<Record<OptionName, string | boolean | undefined>>;

function pick(raw: RawOptions, env: NodeJS.ProcessEnv, name: OptionName): string | undefined {
  const flag = raw[name];
  if (flag !== undefined && flag !== false) return String(flag);
  const fromEnv = env[OPTION_SPECS[name].env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function integer(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new BadRequest(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return number;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_DATA_HOME;
  return xdg ? join(xdg, 'hark') : join(homedir(), '.local', 'share', 'hark');
}

/** Flags win over environment variables, which win over defaults. Creates the two folders. */
export function resolveConfig(raw: RawOptions, env: NodeJS.ProcessEnv = process.env): HarkConfig {
  const notesDir = resolve(expandHome(pick(raw, env, 'notes') ?? '~/VoiceNotes'));
  const dataDir = resolve(expandHome(pick(raw, env, 'data') ?? defaultDataDir(env)));
  const engine = (pick(raw, env, 'engine') ?? 'auto') as EngineChoice;
  if (!ENGINE_CHOICES.includes(engine)) {
    throw new BadRequest(`--engine must be one of ${ENGINE_CHOICES.join(', ')} (got "${engine}")`);
  }
  const preempt = pick(raw, env, 'preempt') ?? 'always';
  if (preempt !== 'always' && preempt !== 'never') {
    throw new BadRequest(`--preempt must be always or never (got "${preempt}")`);
  }
  const sidecarFormat = pick(raw, env, 'sidecar-format') ?? 'txt';
  if (!SIDECAR_FORMATS.includes(sidecarFormat as SidecarFormat)) {
    throw new BadRequest(`--sidecar-format must be txt or md (got "${sidecarFormat}")`);
  }
  const modelPath = pick(raw, env, 'model');
  mkdirSync(notesDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  return {
    notesDir,
    dataDir,
    dbPath: join(dataDir, 'hark.db'),
    engine,
    modelPath: modelPath ? resolve(expandHome(modelPath)) : null,
    modelName: pick(raw, env, 'model-name') ?? 'base.en',
    language: parseLanguage(pick(raw, env, 'language')) ?? null,
    translate: raw.translate === true || env.HARK_TRANSLATE === '1',
    command: pick(raw, env, 'command') ?? null,
    host: pick(raw, env, 'host') ?? '127.0.0.1',
    port: integer(pick(raw, env, 'port'), 'port', 4477, 0, 65535),
    maxRetries: integer(pick(raw, env, 'max-retries'), 'max-retries', 2, 0, 100),
    preempt,
    uploadLimitBytes:
      integer(pick(raw, env, 'upload-limit'), 'upload-limit', 2048, 1, 1024 * 1024) * 1024 * 1024,
    modelIdleSeconds: integer(pick(raw, env, 'model-idle'), 'model-idle', 300, 1, 7 * 24 * 3600),
    writeSidecars: !(raw['no-sidecars'] === true || env.HARK_NO_SIDECARS === '1'),
    sidecarFormat: sidecarFormat as SidecarFormat,
    crashAt: parseCrashPlan(env.HARK_CRASH_AT),
    engineLog: env.HARK_ENGINE_LOG || null,
    fakeChunkMs: milliseconds(env.HARK_FAKE_CHUNK_MS),
    keepCompletedDays: integer(pick(raw, env, 'keep-completed-days'), 'keep-completed-days', 30, 0, 3650),
    sources: sourcesOf(raw, env),
    modelBaseUrl: env.HARK_MODEL_BASE_URL || null,
    modelCatalogFile: env.HARK_MODEL_CATALOG || null,
  };
}

/** Where each given option came from: a flag, or the environment. */
function sourcesOf(raw: RawOptions, env: NodeJS.ProcessEnv): Partial<Record<OptionName, 'flag' | 'env'>> {
  const out: Partial<Record<OptionName, 'flag' | 'env'>> = {};
  for (const name of Object.keys(OPTION_SPECS) as OptionName[]) {
    const flag = raw[name];
    if (flag !== undefined && flag !== false) out[name] = 'flag';
    else if (env[OPTION_SPECS[name].env] !== undefined && env[OPTION_SPECS[name].env] !== '')
      out[name] = 'env';
  }
  return out;
}

/** A test switch's milliseconds: unset or not a number ≥ 0 means "not given", as before. */
function milliseconds(value: string | undefined): number | null {
  if (value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : null;
}
