import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptionJson } from '../src/core/json.js';
import type { WhisperHostEvent } from '../src/services/engines.js';
import { encodeWav } from '../src/transcription/wav.js';
import { isAlive } from './helpers/childProcesses.js';
import { multipart } from './helpers/multipart.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';
import { writeGgmlModel } from './helpers/whisperModel/ggmlModel.js';

/** A rising tone with a tremolo: audio with structure, so voice detection sends it to whisper. */
function toneWav(seconds: number): Buffer {
  const rate = 16_000;
  return encodeWav(
    Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => {
      const t = i / rate;
      return 0.3 * Math.sin(2 * Math.PI * (200 + 40 * t) * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
    }),
  );
}

/** The hub's host events, and a way to await the first one that matches (never a fixed sleep). */
function hostEvents(t: TestApp) {
  const hub = t.app.control?.hub;
  if (!hub) throw new Error('the test app has no engine hub');
  const seen: WhisperHostEvent[] = [];
  const waiters: {
    match: (event: WhisperHostEvent) => boolean;
    resolve: (event: WhisperHostEvent) => void;
  }[] = [];
  hub.onWhisperHost((event) => {
    seen.push(event);
    for (const waiter of [...waiters]) {
      if (!waiter.match(event)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  const next = (match: (event: WhisperHostEvent) => boolean) =>
    new Promise<WhisperHostEvent>((resolve) => {
      const already = seen.find(match);
      if (already) resolve(already);
      else waiters.push({ match, resolve });
    });
  return { seen, next };
}

describe('two whisper models at once, one for recordings and one for background work', () => {
  it('runs each in a host process of its own, both alive while both kinds work, each ended when idle', async () => {
    const dir = tempDir();
    const recordings = writeGgmlModel(join(dir, 'ggml-voice.en.bin'), { preset: 'test', seed: 1 });
    const background = writeGgmlModel(join(dir, 'ggml-backlog.en.bin'), { preset: 'test', seed: 2 });
    const t = await startTestApp({ dir, engine: 'configured', flags: { 'model-idle': '2' } });
    const hosts = hostEvents(t);
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const saved = await t.request({
      method: 'PUT',
      url: '/api/settings',
      // Without pre-emption the background work goes on while a recording is made: both models work at once.
      payload: {
        engine: 'whisper',
        model_foreground: recordings,
        model_background: background,
        preempt: 'never',
      },
    });
    expect(saved.statusCode).toBe(200);

    // Background work on its model: a minute of audio, two windows.
    t.addFile('backlog.wav', toneWav(60));
    await t.app.services.scanner.scan();
    await t.request({ method: 'POST', url: '/api/queue/resume' });
    const backgroundLoad = await hosts.next((event) => event.kind === 'load' && event.model === 'backlog.en');

    // A recording starts: its model loads in another process while the background one works.
    await t.request({ method: 'POST', url: '/api/recordings/start' });
    const recordingLoad = await hosts.next((event) => event.kind === 'load' && event.model === 'voice.en');
    expect(recordingLoad.pid).not.toBe(backgroundLoad.pid);
    expect(hosts.seen.filter((event) => event.kind === 'unload')).toEqual([]);
    expect(isAlive(backgroundLoad.pid)).toBe(true);
    expect(isAlive(recordingLoad.pid)).toBe(true);

    // The recording is heard on its own model (after the running task, since pre-emption is off).
    const upload = multipart([
      { field: 'file', filename: 'blob', contentType: 'audio/wav', content: toneWav(2) },
    ]);
    const recorded = await t.request({ method: 'POST', url: '/api/recordings', ...upload });
    expect(recorded.statusCode).toBe(201);
    const note = (recorded.json() as { transcription: TranscriptionJson }).transcription;
    expect(note.engine).toBe('whisper:voice.en');
    const done = (await t.request({ url: '/api/transcriptions' })).json()
      .transcriptions as TranscriptionJson[];
    expect(done.find((one) => one.audio_path === 'backlog.wav')?.engine).toBe('whisper:backlog.en');

    // Each model is freed after the idle time: every host process that loaded one exits, idle.
    // (The recording's model is held while the recording is open, so it idles out only after it.)
    const loads = () => hosts.seen.filter((event) => event.kind === 'load');
    const gone = await Promise.all(
      loads().map((load) => hosts.next((event) => event.kind === 'unload' && event.pid === load.pid)),
    );
    expect(gone.map((event) => event.kind === 'unload' && event.reason)).toEqual(loads().map(() => 'idle'));
    expect(new Set(loads().map((event) => event.model))).toEqual(new Set(['backlog.en', 'voice.en']));
    expect(loads().filter((event) => event.model === 'backlog.en')).toHaveLength(1);
    for (const load of loads()) expect(isAlive(load.pid)).toBe(false);
  }, 120_000);
});

describe('one whisper host per model, whatever the language', () => {
  it('hears two files in two languages on one model through one host process, loading the model once', async () => {
    const dir = tempDir();
    const model = writeGgmlModel(join(dir, 'ggml-multi.bin'), {
      preset: 'test',
      seed: 3,
      multilingual: true,
    });
    const t = await startTestApp({ dir, engine: 'configured', flags: { 'model-idle': '600' } });
    const hosts = hostEvents(t);
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const saved = await t.request({
      method: 'PUT',
      url: '/api/settings',
      payload: {
        engine: 'whisper',
        model_foreground: model,
        model_background: model,
        folder_languages: [
          { folder: 'german', language: 'de' },
          { folder: 'french', language: 'fr', translate: true },
        ],
      },
    });
    expect(saved.statusCode).toBe(200);
    t.addFile('german/hallo.wav', toneWav(3));
    t.addFile('french/bonjour.wav', toneWav(3));
    await t.app.services.scanner.scan();
    const worker = t.app.worker;
    if (!worker) throw new Error('the test app has no worker');
    const idle = worker.nextIdle();
    await t.request({ method: 'POST', url: '/api/queue/resume' });
    await idle;

    const done = (await t.request({ url: '/api/transcriptions' })).json()
      .transcriptions as TranscriptionJson[];
    const languageOf = (path: string) => done.find((note) => note.audio_path === path)?.language;
    expect(languageOf('german/hallo.wav')).toBe('de');
    expect(languageOf('french/bonjour.wav')).toBe('fr');
    const loads = hosts.seen.filter((event) => event.kind === 'load');
    expect(loads).toHaveLength(1);
    expect(hosts.seen.filter((event) => event.kind === 'unload')).toEqual([]);
    const pid = loads[0]?.pid ?? -1;
    expect(isAlive(pid)).toBe(true);
    await t.app.stop();
    expect(isAlive(pid)).toBe(false);
  }, 120_000);
});
