import { join } from 'node:path';
import { afterAll } from 'vitest';
import { ChunkedEngine } from '../../src/transcription/chunkedEngine.js';
import { WhisperRecognizer } from '../../src/transcription/whisper/whisperRecognizer.js';
import { suiteDir } from '../helpers/tmp.js';
import { writeGgmlModel } from '../helpers/whisperModel/ggmlModel.js';
import { whisperRuntimes } from '../helpers/whisperRuntimes.js';
import { defineEngineContract } from './engineContract.js';

// The engines that hear on one core (pocketsphinx, a command, the fake) have files of their own,
// enginesPocketsphinx.test.ts and enginesCommand.test.ts, run beside another file; whisper takes
// every core, so this file runs alone (vitest.config.ts).

// whisper.cpp with a synthetic model (deterministic random weights: no npm or Debian package ships
// whisper weights, and nothing may download). It decodes, windows, aborts and resumes like a real
// model; its words are noise, so accuracy is left to whisperAccuracy.test.ts with HARK_TEST_MODEL.
const whisperModels = suiteDir('hark-contract-whisper-');
const whisperModel = writeGgmlModel(join(whisperModels.path, 'ggml-synthetic.bin'), { preset: 'test' });
afterAll(() => whisperModels.remove());
// Both programs that can host the model keep the same contract: whisper.cpp built here at install
// (the default), and the prebuilt binding a machine without cmake and g++ falls back to.
for (const { label, runtime } of whisperRuntimes) {
  defineEngineContract(
    `whisper on ${label} (synthetic model)`,
    ({ windowSeconds }) =>
      new ChunkedEngine(
        new WhisperRecognizer({ modelPath: whisperModel, modelName: 'synthetic', runtime: runtime() }),
        { windowSeconds },
      ),
    { hearsAudio: true },
  );
}
