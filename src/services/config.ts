import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CrashPlan, parseCrashPlan } from '../core/crashPoints.js';
import { BadRequest } from '../core/errors.js';
import { type LanguageChoice, parseLanguage } from '../core/languages.js';
import { DEFAULT_LEASE_MS } from '../core/leases.js';
import { SIDECAR_FORMATS, type SidecarFormat } from '../core/orphans.js';
import { MAX_PARALLEL, parseParallel, SHORT_TASK_SECONDS } from '../core/parallel.js';
import { PREEMPT_SCOPES, type PreemptScope } from '../core/preemption.js';
import { DEFAULT_KEEP_COMPLETED_DAYS } from '../core/retention.js';
import { parseRunWindows, type RunWindow } from '../core/schedule.js';
import { ENGINE_CHOICES, type EngineChoice } from '../core/settings.js';
import { redactedUrl, type StoreTarget, storeTarget } from '../db/openStore.js';

export { ENGINE_CHOICES, type EngineChoice };

export interface HarkConfig {
  notesDir: string;
  dataDir: string;
  dbPath: string;
  /**
   * Where the queue lives: SQLite at dbPath (the default), or the PostgreSQL server of
   * --store / HARK_DATABASE_URL, shared by several nodes. The data folder stays this node's
   * either way (its instance lock, its models).
   */
  store: StoreTarget;
  engine: EngineChoice;
  /** A whisper model file the user already has (--model / HARK_MODEL). */
  modelPath: string | null;
  /** The catalog model to use or pull when no file is given. */
  modelName: string;
  /** --language: `auto` (detect) or a whisper code; null: the engine's default (en for *.en models and pocketsphinx, auto otherwise). */
  language: LanguageChoice | null;
  /** --translate: whisper's translate-to-English task (multilingual models only). */
  translate: boolean;
  /** --window-prompt on|off: whisper hears each window with the previous one's text as its prompt (core/windowPrompt.ts). */
  windowPrompt: boolean;
  /** The `command` engine's template, with {input} and {output}. */
  command: string | null;
  host: string;
  port: number;
  maxRetries: number;
  preempt: 'always' | 'never';
  /**
   * --parallel N: up to N short background tasks at once (core/parallel.ts), capped by the
   * cores and the engine; 1 (the default) is the single worker.
   */
  parallel: number;
  /**
   * --lease-seconds: how long a claim holds a task for its worker without a renewal; on
   * PostgreSQL a task whose lease lapsed is reclaimed by any node (core/leases.ts).
   */
  leaseSeconds: number;
  /**
   * --preempt-scope: whose background work a recording on this node stops: `machine` (nodes on
   * this host) or `all`. Null when not given: the saved setting `preempt_scope`, else `machine`.
   */
  preemptScope: PreemptScope | null;
  uploadLimitBytes: number;
  /** Seconds without work after which a model is freed. */
  modelIdleSeconds: number;
  writeSidecars: boolean;
  /** What Hark writes beside the audio: `<stem>.txt` (the text) or `<stem>.md` (the Markdown export). */
  sidecarFormat: SidecarFormat;
  /** --run-window: the hours background work may run in (none: any time). */
  runWindows: RunWindow[];
  /** --keep-completed-days: completed tasks older than this leave the queue's lists (0: never). */
  keepCompletedDays: number;
  /** --pause-on-battery: background work waits while the machine runs on battery. */
  pauseOnBattery: boolean;
  /** Hold a systemd-inhibit sleep lock while transcribing (off with --no-keep-awake). */
  keepAwake: boolean;
  /** HARK_INHIBIT_COMMAND / HARK_POWER_SUPPLY_DIR: test switches standing in for systemd-inhibit and /sys. */
  inhibitCommand: string | null;
  powerSupplyDir: string | null;
  /** --lan: also serve the LAN addresses, over HTTPS (`lanAddress`: only that one). */
  lan: boolean;
  lanAddress: string | null;
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
  store: {
    env: 'HARK_DATABASE_URL',
    type: 'string',
    help: 'postgres://user@host/db: keep the queue on PostgreSQL, shared by several machines (default SQLite in the data folder)',
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
  'window-prompt': {
    env: 'HARK_WINDOW_PROMPT',
    type: 'string',
    help: "on|off: give whisper the previous window's text as its prompt, never text the guards cut (default on)",
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
  parallel: {
    env: 'HARK_PARALLEL',
    type: 'string',
    help: `up to N short background tasks (≤ ${SHORT_TASK_SECONDS} s of audio) at once, never beside a recording (default 1; capped by the cores)`,
  },
  'lease-seconds': {
    env: 'HARK_LEASE_SECONDS',
    type: 'string',
    help: 'seconds a worker holds a task without renewing it before another node may take it (default 60)',
  },
  'preempt-scope': {
    env: 'HARK_PREEMPT_SCOPE',
    type: 'string',
    help: 'machine|all: whose background work a recording stops (default machine: nodes on this host)',
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
  'run-window': {
    env: 'HARK_RUN_WINDOW',
    type: 'string',
    help: 'HH:MM-HH:MM[,…]: hours background work may run in (recordings always run)',
  },
  'keep-completed-days': {
    env: 'HARK_KEEP_COMPLETED_DAYS',
    type: 'string',
    help: `prune completed tasks older than this (default ${DEFAULT_KEEP_COMPLETED_DAYS}; 0 keeps them; transcripts stay)`,
  },
  'pause-on-battery': {
    env: 'HARK_PAUSE_ON_BATTERY',
    type: 'boolean',
    help: 'background work waits while the machine is on battery',
  },
  'no-keep-awake': {
    env: 'HARK_NO_KEEP_AWAKE',
    type: 'boolean',
    help: 'do not keep the machine from sleeping while transcribing',
  },
  lan: {
    env: 'HARK_LAN',
    type: 'boolean',
    help: "also listen on this machine's network addresses, over HTTPS (to pair a phone)",
  },
  'lan-address': {
    env: 'HARK_LAN_ADDRESS',
    type: 'string',
    help: 'with --lan, listen on this one network address only (implies --lan)',
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
  const parallelText = pick(raw, env, 'parallel');
  const parallel = parallelText === undefined ? 1 : parseParallel(parallelText);
  if (parallel === null) {
    throw new BadRequest(
      `--parallel must be a whole number from 1 to ${MAX_PARALLEL} (got "${parallelText}")`,
    );
  }
  const preemptScope = pick(raw, env, 'preempt-scope') ?? null;
  if (preemptScope !== null && !PREEMPT_SCOPES.includes(preemptScope as PreemptScope)) {
    throw new BadRequest(`--preempt-scope must be machine or all (got "${preemptScope}")`);
  }
  const windowPrompt = pick(raw, env, 'window-prompt') ?? 'on';
  if (windowPrompt !== 'on' && windowPrompt !== 'off') {
    throw new BadRequest(`--window-prompt must be on or off (got "${windowPrompt}")`);
  }
  const sidecarFormat = pick(raw, env, 'sidecar-format') ?? 'txt';
  if (!SIDECAR_FORMATS.includes(sidecarFormat as SidecarFormat)) {
    throw new BadRequest(`--sidecar-format must be txt or md (got "${sidecarFormat}")`);
  }
  const modelPath = pick(raw, env, 'model');
  const dbPath = join(dataDir, 'hark.db');
  const store = storeOption(pick(raw, env, 'store'), dbPath);
  const host = pick(raw, env, 'host') ?? '127.0.0.1';
  const lanAddress = pick(raw, env, 'lan-address')?.toLowerCase() ?? null;
  const lan = raw.lan === true || env.HARK_LAN === '1' || lanAddress !== null;
  if (lan && ['0.0.0.0', '::'].includes(host)) {
    throw new BadRequest('--lan serves the network addresses over HTTPS: leave --host at loopback with it');
  }
  mkdirSync(notesDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  return {
    notesDir,
    dataDir,
    dbPath,
    store,
    engine,
    modelPath: modelPath ? resolve(expandHome(modelPath)) : null,
    modelName: pick(raw, env, 'model-name') ?? 'base.en',
    language: parseLanguage(pick(raw, env, 'language')) ?? null,
    translate: raw.translate === true || env.HARK_TRANSLATE === '1',
    windowPrompt: windowPrompt === 'on',
    command: pick(raw, env, 'command') ?? null,
    host,
    port: integer(pick(raw, env, 'port'), 'port', 4477, 0, 65535),
    maxRetries: integer(pick(raw, env, 'max-retries'), 'max-retries', 2, 0, 100),
    preempt,
    parallel,
    leaseSeconds: integer(
      pick(raw, env, 'lease-seconds'),
      'lease-seconds',
      DEFAULT_LEASE_MS / 1000,
      1,
      86_400,
    ),
    preemptScope: preemptScope as PreemptScope | null,
    uploadLimitBytes:
      integer(pick(raw, env, 'upload-limit'), 'upload-limit', 2048, 1, 1024 * 1024) * 1024 * 1024,
    modelIdleSeconds: integer(pick(raw, env, 'model-idle'), 'model-idle', 300, 1, 7 * 24 * 3600),
    writeSidecars: !(raw['no-sidecars'] === true || env.HARK_NO_SIDECARS === '1'),
    sidecarFormat: sidecarFormat as SidecarFormat,
    runWindows: parseRunWindows(pick(raw, env, 'run-window')),
    keepCompletedDays: integer(
      pick(raw, env, 'keep-completed-days'),
      'keep-completed-days',
      DEFAULT_KEEP_COMPLETED_DAYS,
      0,
      36_500,
    ),
    pauseOnBattery: raw['pause-on-battery'] === true || env.HARK_PAUSE_ON_BATTERY === '1',
    keepAwake: !(raw['no-keep-awake'] === true || env.HARK_NO_KEEP_AWAKE === '1'),
    inhibitCommand: env.HARK_INHIBIT_COMMAND || null,
    powerSupplyDir: env.HARK_POWER_SUPPLY_DIR || null,
    lan,
    lanAddress,
    crashAt: parseCrashPlan(env.HARK_CRASH_AT),
    engineLog: env.HARK_ENGINE_LOG || null,
    fakeChunkMs: milliseconds(env.HARK_FAKE_CHUNK_MS),
    sources: sourcesOf(raw, env),
    modelBaseUrl: env.HARK_MODEL_BASE_URL || null,
    modelCatalogFile: env.HARK_MODEL_CATALOG || null,
  };
}

/**
 * --store: a PostgreSQL URL (postgres:// or postgresql://), checked here so a typo is one line
 * at start; without one, SQLite at `dbPath`. Anything else is refused rather than taken for a
 * file name: the SQLite file always lives in the data folder (--data).
 */
export function storeOption(value: string | undefined, dbPath: string): StoreTarget {
  if (value === undefined) return { kind: 'sqlite', path: dbPath };
  const target = storeTarget(value);
  let valid = target.kind === 'postgres';
  try {
    valid &&= new URL(value).hostname !== '' || new URL(value).searchParams.has('host');
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new BadRequest(
      `--store must be a PostgreSQL URL such as postgres://user@host/database (got "${redactedUrl(value)}"); leave it out to use SQLite in the data folder`,
    );
  }
  return target;
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
