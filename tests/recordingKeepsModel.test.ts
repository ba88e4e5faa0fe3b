import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/services/config.js';
import { whisperEngineFor, whisperHostFor } from '../src/services/engines.js';
import { silentLog } from '../src/services/log.js';
import { RecordingFlow } from '../src/services/recordingFlow.js';
import { type HarkServices, openServices } from '../src/services/services.js';
import type { UnloadReason } from '../src/transcription/whisper/whisperRecognizer.js';
import { isAlive } from './helpers/childProcesses.js';
import { ManualClock } from './helpers/manualClock.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';
import { writeGgmlModel } from './helpers/whisperModel/ggmlModel.js';

const IDLE_SECONDS = 2;
const opened: HarkServices[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((services) => services.close()));
});

/** A recording flow on a real store, with a whisper engine whose idle time runs on a clock moved by hand. */
async function recordingOnWhisper() {
  const dir = tempDir();
  const config = resolveConfig(
    {
      notes: join(dir, 'notes'),
      data: join(dir, 'data'),
      engine: 'whisper',
      'model-idle': String(IDLE_SECONDS),
    },
    {},
  );
  const clock = new ManualClock();
  const services = await openServices(config, { log: silentLog, clock });
  opened.push(services);
  const model = writeGgmlModel(join(dir, 'ggml-voice.en.bin'), { preset: 'test', seed: 1 });
  const host = whisperHostFor(model, config, { clock });
  const engine = whisperEngineFor(model, { language: undefined, translate: false }, config, {}, host);
  const flow = new RecordingFlow(services, null, engine);
  return { flow, host, clock, dispose: () => host.dispose() };
}

describe('the model stays loaded while a recording is open', () => {
  it('keeps the host through a recording longer than the idle time, and frees it the idle time after', async () => {
    const { flow, host, clock, dispose } = await recordingOnWhisper();
    try {
      const loaded = once(host, 'load');
      flow.start();
      const [{ pid }] = (await loaded) as [{ pid: number }];
      // The recording goes on for five idle times: the model must not be unloaded under it.
      for (let i = 0; i < 5; i++) clock.advance(IDLE_SECONDS * 1000);
      expect(host.pid).toBe(pid);
      expect(isAlive(pid)).toBe(true);
      expect(host.loads).toBe(1);

      // The recording ends (here: cancelled): the model is freed after the idle time, not before.
      const unloaded = once(host, 'unload');
      const timersBefore = clock.pendingTimers;
      flow.cancel();
      // The hold is let go as the state reaches Idle; the idle time starts then.
      await eventually(() => clock.pendingTimers > timersBefore, 'the idle timer to start');
      clock.advance(IDLE_SECONDS * 1000 - 1);
      expect(host.pid).toBe(pid);
      clock.advance(1);
      const [gone] = (await unloaded) as [{ pid: number; reason: UnloadReason }];
      expect(gone).toMatchObject({ pid, reason: 'idle' });
      expect(isAlive(pid)).toBe(false);
    } finally {
      await dispose();
    }
  }, 60_000);
});
