import type { TranscriptionEngine } from '../core/engine.js';
import { FakeEngine } from '../transcription/fakeEngine.js';
import type { HarkConfig } from './config.js';
import type { Log } from './log.js';

export interface EngineSelection {
  engine: TranscriptionEngine | null;
  /** Why this engine, or why none: shown at start and by `hark doctor`. */
  reason: string;
}

/** Picks the transcription engine the configuration asks for. */
export async function selectEngine(config: HarkConfig, _log: Log): Promise<EngineSelection> {
  if (config.engine === 'fake') {
    return {
      engine: new FakeEngine({ logFile: process.env.HARK_FAKE_ENGINE_LOG, msPerChunk: fakeChunkMs() }),
      reason: 'the fake engine (for tests and demos) was asked for',
    };
  }
  return { engine: null, reason: `the ${config.engine} engine is not available yet` };
}

function fakeChunkMs(): number | undefined {
  const value = Number(process.env.HARK_FAKE_CHUNK_MS);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
