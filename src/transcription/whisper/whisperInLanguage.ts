import type { Segment } from '../../core/types.js';
import type { ChunkRecognizer, RecognizeOptions } from '../recognizer.js';
import type { WhisperRecognizer } from './whisperRecognizer.js';

/** A language request as whisper takes it: a code or 'auto', and whether to translate to English. */
export interface WhisperLanguage {
  language: string;
  translate: boolean;
}

/**
 * One language's view of a whisper host: every window it is given is heard in
 * that language, by the host it shares with every other language on the same
 * model (one process, one copy of the model in memory). The host is not its
 * own unless `ownsHost`: whoever shares it out frees it (the engine hub, once
 * no engine uses it).
 */
export class WhisperInLanguage implements ChunkRecognizer {
  readonly name: string;
  readonly concurrency = 1;

  constructor(
    private readonly host: WhisperRecognizer,
    private readonly language: WhisperLanguage,
    private readonly options: { ownsHost?: boolean } = {},
  ) {
    this.name = host.name;
  }

  recognize(samples: Float32Array, options: RecognizeOptions): Promise<Segment[]> {
    return this.host.recognize(samples, { ...options, ...this.language });
  }

  prewarm(): Promise<void> {
    return this.host.prewarm();
  }

  keepLoaded(): Promise<() => void> {
    return this.host.keepLoaded();
  }

  async dispose(): Promise<void> {
    if (this.options.ownsHost) await this.host.dispose();
  }
}
