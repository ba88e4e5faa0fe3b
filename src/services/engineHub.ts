import { existsSync } from 'node:fs';
import type { Clock } from '../core/clock.js';
import type { TranscribeOptions, TranscriptionEngine } from '../core/engine.js';
import { HarkError } from '../core/errors.js';
import { resolveFileLanguage } from '../core/folderLanguage.js';
import { type LanguageTarget, planLanguage } from '../core/languages.js';
import type { TaskLanguage, Transcript } from '../core/types.js';
import { readFolderFiles } from '../files/folderFiles.js';
import type { ModelManager } from '../models/manager.js';
import { modelPath as installedModelPath, resolveModel } from '../models/store.js';
import { ChunkedEngine } from '../transcription/chunkedEngine.js';
import { CommandRecognizer } from '../transcription/commandRecognizer.js';
import { FakeEngine } from '../transcription/fakeEngine.js';
import { LoggingEngine } from '../transcription/loggingEngine.js';
import { pocketsphinxAvailable } from '../transcription/pocketsphinx.js';
import { modelNameFromPath, type WhisperRecognizer } from '../transcription/whisper/whisperRecognizer.js';
import type { HarkConfig } from './config.js';
import {
  inChild,
  pocketsphinxEngineFor,
  type SelectOptions,
  type WhisperHostListener,
  whisperEngineFor,
  whisperHostFor,
} from './engines.js';
import type { SettingsService } from './settings.js';

/** Recordings and transcribe-now use the foreground model; the queue's worker the background one. */
export type EngineRole = 'foreground' | 'background';

/** What one role transcribes with, and why: shown by /api/health, the page's banner and `hark doctor`. */
export interface EngineChoice {
  kind: 'whisper' | 'pocketsphinx' | 'command' | 'fake' | 'none';
  /** The name engines go by (`whisper:base.en`, `pocketsphinx`), or null with none. */
  engine: string | null;
  /** The whisper model file, when whisper. */
  model: string | null;
  reason: string;
  /** Why Hark runs on pocketsphinx instead of whisper (the download error, say), or null. */
  fallback_reason: string | null;
  /** The model whose download the queue waits for, or null. */
  waiting_for: string | null;
}

interface Entry {
  engine: TranscriptionEngine;
  inFlight: number;
  retired: boolean;
  /** The whisper host it hears through (shared by every language on its model), if any. */
  host: SharedHost | null;
}

/** One whisper model's host, and how many engines (one per language in use) hear through it. */
interface SharedHost {
  model: string;
  recognizer: WhisperRecognizer;
  users: number;
}

export interface EngineHubOptions extends SelectOptions {
  /** Whether pocketsphinx can run here (tests may say no). */
  pocketsphinx?: () => boolean;
  /** Times each whisper host's idle time (--model-idle). */
  clock?: Clock;
}

/** No engine can run the work now: it waits (the queue is paused meanwhile: engineGate.ts). */
export class EngineUnavailable extends HarkError {
  constructor(reason: string) {
    super('engine_unavailable', `There is no transcription engine: ${reason}`, { retryable: true });
    this.name = 'EngineUnavailable';
  }
}

/**
 * The engines Hark transcribes with, chosen from the settings and the models
 * on disk, and chosen again when either changes: between tasks, since a call
 * keeps the engine it started with. One engine per (model, language) is kept
 * and shared by both roles; one no longer chosen is freed once its calls end.
 * Every language on one whisper model hears through one host process, so the
 * model is loaded once (a host per model, not per language).
 * Each file is heard in the language its folder asks for (folder rules and
 * `.hark.json`, core/folderLanguage.ts).
 */
export class EngineHub {
  readonly foreground: TranscriptionEngine;
  readonly background: TranscriptionEngine;
  private choices: Record<EngineRole, EngineChoice>;
  private readonly entries = new Map<string, Entry>();
  /** One whisper host per model file, shared by the engines of every language on it. */
  private readonly hosts = new Map<string, SharedHost>();
  private readonly listeners = new Set<() => void>();
  private readonly hostListeners = new Set<WhisperHostListener>();
  private disposed = false;

  constructor(
    private readonly config: HarkConfig,
    private readonly settings: SettingsService,
    private readonly models: ModelManager,
    private readonly options: EngineHubOptions = {},
  ) {
    this.choices = { foreground: this.choose('foreground'), background: this.choose('background') };
    this.foreground = new RoleEngine(this, 'foreground');
    this.background = new RoleEngine(this, 'background');
    settings.onChange((_values, changed) => {
      if (changed.some((key) => key === 'engine' || key.startsWith('model_'))) this.refresh();
    });
  }

  status(role: EngineRole): EngineChoice {
    return this.choices[role];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Told when a whisper model is loaded in a host process of its own and when that
   * process ends. Each model the roles use has its own process (two models, two
   * processes; every language on one model, one process), each ended after the idle time (--model-idle) without work.
   */
  onWhisperHost(listener: WhisperHostListener): () => void {
    this.hostListeners.add(listener);
    return () => this.hostListeners.delete(listener);
  }

  /** Chooses again (a setting changed, a model arrived, a download failed); engines no longer chosen are freed. */
  refresh(): void {
    const before = JSON.stringify(this.choices);
    this.choices = { foreground: this.choose('foreground'), background: this.choose('background') };
    if (JSON.stringify(this.choices) === before) return;
    for (const [key, entry] of this.entries) {
      entry.retired = true;
      this.entries.delete(key);
      if (entry.inFlight === 0) void this.free(entry);
    }
    for (const listener of [...this.listeners]) listener();
  }

  /** The engine for one file: the role's choice, in the file's language (or the one asked for it). Release it when done. */
  async acquire(
    role: EngineRole,
    audioPath: string | null,
    asked: TaskLanguage = {},
  ): Promise<{ engine: TranscriptionEngine; release: () => void }> {
    const choice = this.choices[role];
    if (choice.kind === 'none' || this.disposed) throw new EngineUnavailable(choice.reason);
    const heard = await this.heardAs(audioPath ? this.relative(audioPath) : '', asked);
    const key = JSON.stringify([choice.kind, choice.model, heard.language, heard.translate]);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.build(choice, heard.language, heard.translate);
      this.entries.set(key, entry);
    }
    const held = entry;
    held.inFlight++;
    let released = false;
    return {
      engine: held.engine,
      release: () => {
        if (released) return;
        released = true;
        held.inFlight--;
        if (held.retired && held.inFlight === 0) void this.free(held);
      },
    };
  }

  /**
   * Throws BadRequest, saying why and what to use instead, when a file at
   * `relativePath` (in the notes folder) asked to be heard as `asked` could
   * not be by the role's engine: an import is checked so before it is saved,
   * so a choice that cannot work never becomes a task.
   */
  async checkLanguage(role: EngineRole, relativePath: string, asked: TaskLanguage): Promise<void> {
    const heard = await this.heardAs(relativePath, asked);
    planLanguage({ language: heard.language ?? undefined, translate: heard.translate }, this.target(role));
  }

  /** The folder's language (its rules, `.hark.json`, the settings), with what was asked for this file over it. */
  private async heardAs(
    relative: string,
    asked: TaskLanguage,
  ): Promise<{ language: string | null; translate: boolean }> {
    const values = this.settings.values();
    const files = relative ? await readFolderFiles(this.config.notesDir, relative) : [];
    const folder = resolveFileLanguage(
      relative || 'x',
      { language: values.language, translate: values.translate },
      values.folder_languages,
      files,
    );
    return { language: asked.language ?? folder.language, translate: asked.translate ?? folder.translate };
  }

  /** What a language request for the role is checked against; while it waits for a model, that model. */
  private target(role: EngineRole): LanguageTarget {
    const choice = this.choices[role];
    if (choice.kind === 'whisper' && choice.model)
      return { engine: 'whisper', modelName: modelNameFromPath(choice.model) };
    if (choice.kind === 'pocketsphinx') return { engine: 'pocketsphinx' };
    if (choice.kind === 'none') {
      const values = this.settings.values();
      if (values.engine === 'pocketsphinx') return { engine: 'pocketsphinx' };
      const model = role === 'foreground' ? values.model_foreground : values.model_background;
      return { engine: 'whisper', modelName: model.startsWith('/') ? modelNameFromPath(model) : model };
    }
    return { engine: 'other' };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((entry) => this.free(entry)));
    const hosts = [...this.hosts.values()];
    this.hosts.clear();
    await Promise.all(hosts.map((host) => host.recognizer.dispose().catch(() => {})));
  }

  /** Frees an engine no longer chosen, and its model's host once no other language hears through it. */
  private async free(entry: Entry): Promise<void> {
    await entry.engine.dispose().catch(() => {});
    const host = entry.host;
    if (!host) return;
    entry.host = null;
    host.users--;
    if (host.users > 0 || this.hosts.get(host.model) !== host) return;
    this.hosts.delete(host.model);
    await host.recognizer.dispose().catch(() => {});
  }

  /** The host of a whisper model: the one already serving other languages on it, or a new one. */
  private hostFor(model: string): SharedHost {
    const existing = this.hosts.get(model);
    if (existing) return existing;
    const host: SharedHost = {
      model,
      users: 0,
      recognizer: whisperHostFor(model, this.config, {
        ...(this.options.clock ? { clock: this.options.clock } : {}),
        onWhisperHost: (event) => {
          this.options.onWhisperHost?.(event);
          for (const listener of [...this.hostListeners]) listener(event);
        },
      }),
    };
    this.hosts.set(model, host);
    return host;
  }

  private relative(audioPath: string): string {
    const root = this.config.notesDir.endsWith('/') ? this.config.notesDir : `${this.config.notesDir}/`;
    return audioPath.startsWith(root) ? audioPath.slice(root.length) : '';
  }

  private build(choice: EngineChoice, language: string | null, translate: boolean): Entry {
    const request = { language: language ?? undefined, translate };
    let engine: TranscriptionEngine;
    let host: SharedHost | null = null;
    switch (choice.kind) {
      case 'whisper': {
        const model = choice.model as string;
        // A language the model cannot hear throws here; the host, unused, has started no process.
        const shared = this.hostFor(model);
        engine = whisperEngineFor(
          model,
          request,
          this.config,
          { ...this.options, windowPrompt: () => this.settings.values().window_prompt },
          shared.recognizer,
        );
        shared.users++;
        host = shared;
        break;
      }
      case 'pocketsphinx':
        engine = pocketsphinxEngineFor(request, this.options);
        break;
      case 'command':
        engine = new ChunkedEngine(
          inChild(new CommandRecognizer({ template: this.config.command as string }), this.options),
        );
        break;
      default:
        engine = new FakeEngine({
          msPerChunk: this.config.fakeChunkMs ?? undefined,
          ...(language && language !== 'auto' ? { language } : {}),
        });
    }
    // Every call, chunk and finished file to a log, for the crash soak to count across restarts.
    const logged = this.config.engineLog ? new LoggingEngine(engine, this.config.engineLog) : engine;
    return { engine: logged, inFlight: 0, retired: false, host };
  }

  private sphinx(): boolean {
    return (this.options.pocketsphinx ?? pocketsphinxAvailable)();
  }

  private choose(role: EngineRole): EngineChoice {
    const values = this.settings.values();
    const model = role === 'foreground' ? values.model_foreground : values.model_background;
    const none = (reason: string, waiting_for: string | null = null): EngineChoice => ({
      kind: 'none',
      engine: null,
      model: null,
      reason,
      fallback_reason: null,
      waiting_for,
    });
    const whisper = (path: string, reason: string): EngineChoice => ({
      kind: 'whisper',
      engine: `whisper:${modelNameFromPath(path)}`,
      model: path,
      reason,
      fallback_reason: null,
      waiting_for: null,
    });
    const sphinx = (reason: string, fallback: string | null): EngineChoice => ({
      kind: 'pocketsphinx',
      engine: 'pocketsphinx',
      model: null,
      reason,
      fallback_reason: fallback,
      waiting_for: null,
    });
    switch (values.engine) {
      case 'fake':
        return {
          ...none(''),
          kind: 'fake',
          engine: 'fake',
          reason: 'the fake engine (a demo with no model) was asked for',
        };
      case 'command':
        return this.config.command
          ? {
              ...none(''),
              kind: 'command',
              engine: `command`,
              reason: `the command engine runs: ${this.config.command}`,
            }
          : none('--engine command needs --command "<template>"');
      case 'pocketsphinx':
        return this.sphinx()
          ? sphinx('pocketsphinx was asked for', null)
          : none('pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)');
      case 'whisper': {
        const path = this.modelFile(model);
        return path
          ? whisper(path, `whisper with ${path}`)
          : none(
              `the whisper model ${model} is not installed: download it on the Settings page (or \`hark models pull ${model}\`)`,
            );
      }
      case 'auto':
        return this.chooseAuto(role, model, { none, whisper, sphinx });
    }
  }

  private chooseAuto(
    role: EngineRole,
    model: string,
    make: {
      none: (reason: string, waiting?: string | null) => EngineChoice;
      whisper: (path: string, reason: string) => EngineChoice;
      sphinx: (reason: string, fallback: string | null) => EngineChoice;
    },
  ): EngineChoice {
    const path =
      this.modelFile(model) ??
      (model.startsWith('/') ? null : resolveModel({ dataDir: this.config.dataDir, env: {} }));
    if (path) return make.whisper(path, `whisper with ${path}`);
    const download = this.models.state(model);
    const downloading = this.models.isDownloading(model);
    const percent = download && download.total > 0 ? Math.floor((100 * download.bytes) / download.total) : 0;
    if (downloading && role === 'background') {
      return make.none(`the queue waits for the ${model} model to download (${percent}%)`, model);
    }
    const why = downloading
      ? `the ${model} model is still downloading`
      : download?.phase === 'failed'
        ? `could not download the ${model} model (${download.error})`
        : model.startsWith('/')
          ? `the model file ${model} is missing`
          : 'no whisper model is installed';
    if (this.sphinx()) return make.sphinx(`${why}; using pocketsphinx, the offline fallback`, why);
    return make.none(`${why} and pocketsphinx is not installed`);
  }

  /** The file of a model value (a path, or an installed catalog name), or null when it is not on disk. */
  private modelFile(model: string): string | null {
    if (model.startsWith('/')) return existsSync(model) ? model : null;
    try {
      const path = installedModelPath(model, this.config.dataDir);
      return existsSync(path) ? path : null;
    } catch {
      return null;
    }
  }
}

/** One role's engine, as the worker and the foreground transcriber see it: the hub picks the real one per call. */
class RoleEngine implements TranscriptionEngine {
  constructor(
    private readonly hub: EngineHub,
    private readonly role: EngineRole,
  ) {}

  get name(): string {
    return this.hub.status(this.role).engine ?? 'none';
  }

  async transcribe(audioPath: string, options: TranscribeOptions): Promise<Transcript> {
    const { engine, release } = await this.hub.acquire(this.role, audioPath, options.language);
    try {
      return await engine.transcribe(audioPath, options);
    } finally {
      release();
    }
  }

  /** The chosen engine's: only pocketsphinx and the fake one take several calls at once (core/parallel.ts). */
  get concurrency(): number {
    const kind = this.hub.status(this.role).kind;
    return kind === 'pocketsphinx' || kind === 'fake' ? Number.POSITIVE_INFINITY : 1;
  }

  async probeDuration(audioPath: string): Promise<number | null> {
    if (this.hub.status(this.role).kind === 'none') return null;
    const { engine, release } = await this.hub.acquire(this.role, audioPath);
    try {
      return (await engine.probeDuration?.(audioPath)) ?? null;
    } finally {
      release();
    }
  }

  async prewarm(): Promise<void> {
    if (this.hub.status(this.role).kind === 'none') return;
    const { engine, release } = await this.hub.acquire(this.role, null);
    try {
      await engine.prewarm?.();
    } finally {
      release();
    }
  }

  /** Holds the role's model (in the settings' language) loaded until released: an open recording does. */
  async keepLoaded(): Promise<() => void> {
    if (this.hub.status(this.role).kind === 'none') return () => {};
    const { engine, release } = await this.hub.acquire(this.role, null);
    const letGo = (await engine.keepLoaded?.().catch(() => null)) ?? (() => {});
    return () => {
      letGo();
      release();
    };
  }

  async dispose(): Promise<void> {}
}
