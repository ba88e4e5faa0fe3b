import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ChunkedEngine } from '../../src/transcription/chunkedEngine.js';
import { CommandRecognizer } from '../../src/transcription/commandRecognizer.js';
import { FakeEngine } from '../../src/transcription/fakeEngine.js';
import { PocketsphinxRecognizer } from '../../src/transcription/pocketsphinx.js';
import { WhisperRecognizer } from '../../src/transcription/whisper/whisperRecognizer.js';
import { suiteDir } from '../helpers/tmp.js';
import { writeGgmlModel } from '../helpers/whisperModel/ggmlModel.js';
import { defineEngineContract } from './engineContract.js';

defineEngineContract(
  'pocketsphinx',
  ({ windowSeconds }) => new ChunkedEngine(new PocketsphinxRecognizer(), { windowSeconds }),
  { hearsAudio: true, maxWordErrorRate: 0.15, hearsNarrowband: false },
);

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

// whisper.cpp with a synthetic model (deterministic random weights: no npm or Debian package ships
// whisper weights, and nothing may download). It decodes, windows, aborts and resumes like a real
// model; its words are noise, so accuracy is left to whisperAccuracy.test.ts with HARK_TEST_MODEL.
const whisperModels = suiteDir('hark-contract-whisper-');
const whisperModel = writeGgmlModel(join(whisperModels.path, 'ggml-synthetic.bin'), { preset: 'test' });
afterAll(() => whisperModels.remove());
defineEngineContract(
  'whisper (synthetic model)',
  ({ windowSeconds }) =>
    new ChunkedEngine(new WhisperRecognizer({ modelPath: whisperModel, modelName: 'synthetic' }), {
      windowSeconds,
    }),
  { hearsAudio: true },
);
