import { ChunkedEngine } from '../../src/transcription/chunkedEngine.js';
import { PocketsphinxRecognizer } from '../../src/transcription/pocketsphinx.js';
import { defineEngineContract } from './engineContract.js';

// pocketsphinx hears on one core, so this file runs beside other slow files (vitest.config.ts);
// whisper, which takes every core, has engines.test.ts, run alone.
defineEngineContract(
  'pocketsphinx',
  ({ windowSeconds }) => new ChunkedEngine(new PocketsphinxRecognizer(), { windowSeconds }),
  { hearsAudio: true, maxWordErrorRate: 0.15, hearsNarrowband: false },
);
