import { ChunkedEngine } from '../../src/transcription/chunkedEngine.js';
import { CommandRecognizer } from '../../src/transcription/commandRecognizer.js';
import { FakeEngine } from '../../src/transcription/fakeEngine.js';
import { defineEngineContract } from './engineContract.js';

// Engines that hear on one core at most, so this file runs beside other slow files
// (vitest.config.ts); whisper, which takes every core, has engines.test.ts, run alone.

// Any external recogniser: here pocketsphinx again, run as a command that prints plain text on stdout.
defineEngineContract(
  'command',
  ({ windowSeconds }) =>
    new ChunkedEngine(
      new CommandRecognizer({
        template: 'pocketsphinx_continuous -infile {input} -logfn /dev/null -dither yes -seed 1',
        format: 'text',
      }),
      { windowSeconds },
    ),
  { hearsAudio: true, maxWordErrorRate: 0.15, hearsNarrowband: false },
);

// The fake hears no audio (it reads a JSON description), so only the mechanics apply.
defineEngineContract('fake', () => new FakeEngine({ chunkSeconds: 2, msPerChunk: 200 }), {
  hearsAudio: false,
});
