import type { Clock } from '../core/clock.js';
import type { TranscriptionEngine } from '../core/engine.js';
import { planLanguage } from '../core/languages.js';
import { DEFAULT_MODEL } from '../models/catalog.js';
import { pullModel } from '../models/download.js';
import { resolveModel } from '../models/store.js';
import { ChunkedEngine } from '../transcription/chunkedEngine.js';
import { CommandRecognizer } from '../transcription/commandRecognizer.js';
import { FakeEngine } from '../transcription/fakeEngine.js';
import { LoggingEngine } from '../transcription/loggingEngine.js';
import { PocketsphinxRecognizer, pocketsphinxAvailable } from '../transcription/pocketsphinx.js';
import type { ChunkRecognizer } from '../transcription/recognizer.js';
import { WhisperInLanguage } from '../transcription/whisper/whisperInLanguage.js';
import {
  modelNameFromPath,
  type UnloadReason,
  WhisperRecognizer,
} from '../transcription/whisper/whisperRecognizer.js';
import { ChildHearingRecognizer, type HearingListener } from './childHearing.js';
import type { HarkConfig } from './config.js';
import type { Log } from './log.js';

export interface EngineSelection {
  engine: TranscriptionEngine | null;
  /** Why this engine, or why none: shown at start and by `hark doctor`. */
  reason: string;
}

export interface SelectOptions {
  /** With --engine auto and no model: download the default model first (the first `hark start`). */
  pullIfMissing?: boolean;
  /** Progress of that download, for a progress bar. */
  onPullProgress?: (bytes: number, total: number) => void;
  /** Told when the engine's child process starts and stops hearing a window (the app tells the queue). */
  onHearing?: HearingListener;
  /** Told when a whisper model is loaded in its host process, and when that process ends (freeing it). */
  onWhisperHost?: WhisperHostListener;
  /** Whether whisper gets the previous window's text as its prompt, read at each file (default: the configuration's). */
  windowPrompt?: () => boolean;
}

/** A whisper host process loading its model, or ending: idle for the idle time, aborted, disposed, or died. */
export type WhisperHostEvent =
  | { kind: 'load'; model: string; pid: number }
  | { kind: 'unload'; model: string; pid: number; reason: UnloadReason };

export type WhisperHostListener = (event: WhisperHostEvent) => void;

/** Every real recogniser hears in a child process; with a listener, the engine says when (ChildHearingRecognizer). */
export function inChild(recognizer: ChunkRecognizer, options: SelectOptions): ChunkRecognizer {
  return options.onHearing ? new ChildHearingRecognizer(recognizer, options.onHearing) : recognizer;
}

/** The language asked for, as planLanguage reads it; throws (BadRequest) before any work on a combination that cannot work. */
function requestedLanguage(config: HarkConfig): LanguageRequest {
  return { language: config.language ?? undefined, translate: config.translate };
}

function whisperEngine(modelPath: string, config: HarkConfig, options: SelectOptions): TranscriptionEngine {
  return whisperEngineFor(modelPath, requestedLanguage(config), config, options);
}

/** A language request as planLanguage reads it: a code or `auto` (undefined: the engine's default). */
export interface LanguageRequest {
  language: string | undefined;
  translate: boolean;
}

/**
 * A whisper engine for one model and one language request. Given `host` (the engine hub's, one per
 * model), it hears through that host, shared with every other language on the model, and leaves
 * freeing it to the hub; without one, it has a host of its own and frees it with itself.
 * Throws (BadRequest) on a language the model cannot hear, before any host is touched.
 */
export function whisperEngineFor(
  modelPath: string,
  request: LanguageRequest,
  config: HarkConfig,
  options: SelectOptions,
  host?: WhisperRecognizer,
): TranscriptionEngine {
  const plan = planLanguage(request, {
    engine: 'whisper',
    modelName: modelNameFromPath(modelPath),
  });
  const recognizer = new WhisperInLanguage(
    host ?? whisperHostFor(modelPath, config, options),
    { language: plan.language, translate: plan.translate },
    { ownsHost: host === undefined },
  );
  // A pinned language is the note's language; with `auto` the language whisper detects is stored.
  const language = plan.language === 'auto' ? undefined : plan.language;
  return new ChunkedEngine(inChild(recognizer, options), {
    language,
    windowPrompt: options.windowPrompt ?? (() => config.windowPrompt),
  });
}

/**
 * A whisper host for one model (a process, started at the first window and ended after
 * --model-idle without work), serving every language: each call names its own.
 */
export function whisperHostFor(
  modelPath: string,
  config: HarkConfig,
  options: Pick<SelectOptions, 'onWhisperHost'> & { clock?: Clock },
): WhisperRecognizer {
  const recognizer = new WhisperRecognizer({
    modelPath,
    idleMs: config.modelIdleSeconds * 1000,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const told = options.onWhisperHost;
  if (told) {
    const model = modelNameFromPath(modelPath);
    recognizer.on('load', ({ pid }) => told({ kind: 'load', model, pid }));
    recognizer.on('unload', ({ pid, reason }) => told({ kind: 'unload', model, pid, reason }));
  }
  return recognizer;
}

function pocketsphinxEngine(config: HarkConfig, options: SelectOptions): TranscriptionEngine {
  return pocketsphinxEngineFor(requestedLanguage(config), options);
}

/** pocketsphinx, English only: any other language is refused here, before any audio is touched. */
export function pocketsphinxEngineFor(request: LanguageRequest, options: SelectOptions): TranscriptionEngine {
  const plan = planLanguage(request, { engine: 'pocketsphinx' });
  return new ChunkedEngine(inChild(new PocketsphinxRecognizer(), options), { language: plan.language });
}

/**
 * Picks the transcription engine the configuration asks for. `auto` prefers
 * whisper with an installed model, pulls the default model when there is
 * none (and says so when that fails), then falls back to pocketsphinx; with
 * none of them the engine is null and the queue waits.
 */
export async function selectEngine(
  config: HarkConfig,
  log: Log,
  options: SelectOptions = {},
): Promise<EngineSelection> {
  const selection = await chooseEngine(config, log, options);
  // Every call, chunk and finished file to a log, for the crash soak to count across restarts.
  if (selection.engine && config.engineLog) {
    selection.engine = new LoggingEngine(selection.engine, config.engineLog);
  }
  return selection;
}

async function chooseEngine(config: HarkConfig, log: Log, options: SelectOptions): Promise<EngineSelection> {
  switch (config.engine) {
    case 'fake':
      return {
        engine: new FakeEngine({ msPerChunk: config.fakeChunkMs ?? undefined }),
        reason: 'the fake engine (a demo with no model) was asked for',
      };
    case 'command':
      if (!config.command) return { engine: null, reason: '--engine command needs --command "<template>"' };
      return {
        engine: new ChunkedEngine(inChild(new CommandRecognizer({ template: config.command }), options)),
        reason: `the command engine runs: ${config.command}`,
      };
    case 'pocketsphinx':
      return pocketsphinxAvailable()
        ? { engine: pocketsphinxEngine(config, options), reason: 'pocketsphinx was asked for' }
        : {
            engine: null,
            reason: 'pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)',
          };
    case 'whisper': {
      const model = resolveModel({
        modelPath: config.modelPath ?? undefined,
        dataDir: config.dataDir,
        name: config.modelName,
      });
      return model
        ? { engine: whisperEngine(model, config, options), reason: `whisper with ${model}` }
        : {
            engine: null,
            reason: `no whisper model: run \`hark models pull ${config.modelName}\` or pass --model PATH`,
          };
    }
    case 'auto':
      return autoEngine(config, log, options);
  }
}

async function autoEngine(config: HarkConfig, log: Log, options: SelectOptions): Promise<EngineSelection> {
  let model = resolveModel({ modelPath: config.modelPath ?? undefined, dataDir: config.dataDir });
  let pullFailure: string | null = null;
  if (!model && options.pullIfMissing) {
    const name = config.modelName || DEFAULT_MODEL;
    // Said when bytes start to flow, not before: offline, every start would announce a download that never begins.
    let announced = false;
    const onProgress = (bytes: number, total: number) => {
      if (!announced) {
        announced = true;
        log.warn(`no whisper model yet: downloading ${name} (once)…`);
      }
      options.onPullProgress?.(bytes, total);
    };
    try {
      const pulled = await pullModel(name, config.dataDir, { onProgress });
      model = pulled.path;
      if (!pulled.alreadyInstalled) log.warn(`downloaded ${name} to ${model}`);
    } catch (error) {
      pullFailure = `could not download the ${name} model (${(error as Error).message})`;
      log.warn(`${pullFailure}; \`hark models pull ${name}\` tries again`);
    }
  }
  if (model) return { engine: whisperEngine(model, config, options), reason: `whisper with ${model}` };
  if (pocketsphinxAvailable()) {
    return {
      engine: pocketsphinxEngine(config, options),
      reason: `${pullFailure ?? 'no whisper model is installed'}; using pocketsphinx, the offline fallback`,
    };
  }
  return {
    engine: null,
    reason: `${pullFailure ?? 'no whisper model is installed'} and pocketsphinx is not installed`,
  };
}
