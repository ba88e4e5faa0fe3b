import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptionJson } from '../src/core/json.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';
import { writeGgmlModel } from './helpers/whisperModel/ggmlModel.js';

async function drained(t: TestApp) {
  const worker = t.app.worker;
  if (!worker) return;
  const idle = worker.nextIdle();
  worker.wake();
  await idle;
}

const put = (t: TestApp, body: Record<string, unknown>) =>
  t.request({ method: 'PUT', url: '/api/settings', payload: body });
const settingsOf = async (t: TestApp) => (await t.request({ url: '/api/settings' })).json().settings;

describe('GET/PUT /api/settings', () => {
  it('shows every setting with its default, saves a change and keeps it across a restart', async () => {
    const dir = tempDir();
    const t = await startTestApp({ dir, engine: 'configured' });
    const before = await settingsOf(t);
    expect(before.preempt).toEqual({ value: 'always', source: 'default', editable: true });
    expect(before.model_foreground.value).toBe('base.en');
    expect(before.model_background.value).toBe('base.en');
    expect(before.keep_completed_days.value).toBe(30);
    expect(Object.keys(before).sort()).toEqual(
      [
        'engine',
        'folder_languages',
        'keep_completed_days',
        'language',
        'model_background',
        'model_foreground',
        'parallel',
        'preempt',
        'schedule',
        'sidecar_format',
        'translate',
        'window_prompt',
      ].sort(),
    );

    const saved = await put(t, { preempt: 'never', schedule: ['22:00-07:00'], keep_completed_days: 7 });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().settings.preempt).toEqual({ value: 'never', source: 'saved', editable: true });
    await t.app.stop();

    const again = await startTestApp({ dir, engine: 'configured' });
    const after = await settingsOf(again);
    expect(after.preempt.value).toBe('never');
    expect(after.schedule).toEqual({ value: ['22:00-07:00'], source: 'saved', editable: true });
    expect(after.keep_completed_days.value).toBe(7);
  });

  it('lets flags and the environment win, says which, and refuses to change them', async () => {
    const t = await startTestApp({
      engine: 'configured',
      flags: { engine: 'fake' },
      env: { HARK_SIDECAR_FORMAT: 'md' },
    });
    const settings = await settingsOf(t);
    expect(settings.engine).toEqual({
      value: 'fake',
      source: 'flag',
      editable: false,
      pinned_by: '--engine',
    });
    expect(settings.sidecar_format).toEqual({
      value: 'md',
      source: 'env',
      editable: false,
      pinned_by: 'HARK_SIDECAR_FORMAT',
    });
    const refused = await put(t, { engine: 'pocketsphinx' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/engine is set by --engine/);
  });

  it('answers 400 with a message for a bad value, an unknown key and a combination that cannot work', async () => {
    const t = await startTestApp({ engine: 'configured' });
    const bad = await put(t, { preempt: 'sometimes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/preempt must be always or never/);
    expect((await put(t, { colour: 'red' })).json().message).toMatch(/Unknown setting "colour"/);
    const german = await put(t, { language: 'de' });
    expect(german.statusCode).toBe(400);
    expect(german.json().message).toMatch(/base\.en is English-only.*use the multilingual model base/);
    // Nothing of a refused request is saved.
    expect((await settingsOf(t)).language.source).toBe('default');
    const missingFile = await put(t, { model_foreground: '/nowhere/ggml-small.bin' });
    expect(missingFile.statusCode).toBe(400);
    expect(missingFile.json().message).toMatch(/There is no model file at \/nowhere\/ggml-small\.bin/);
  });

  it('switches the engine without a restart, and health names it', async () => {
    const t = await startTestApp({ engine: 'configured', flags: { 'model-name': 'base.en' } });
    // No model installed: pocketsphinx, the offline fallback, and why.
    const first = (await t.request({ url: '/api/health' })).json();
    expect(first.engine).toBe('pocketsphinx');
    expect(first.fallback_reason).toBe('no whisper model is installed');
    expect((await put(t, { engine: 'fake' })).statusCode).toBe(200);
    const second = (await t.request({ url: '/api/health' })).json();
    expect(second).toMatchObject({ engine: 'fake', fallback_reason: null });
    t.addFile('memo.wav', { text: 'hello there' });
    await t.app.services.scanner.scan();
    await drained(t);
    const list = (await t.request({ url: '/api/transcriptions' })).json();
    expect(list.transcriptions[0]).toMatchObject({ engine: 'fake' });
  });

  it('uses a model file from disk, with the model in health', async () => {
    const dir = tempDir();
    const model = writeGgmlModel(join(dir, 'ggml-mine.bin'), { preset: 'test' });
    const notModel = join(dir, 'notes.txt');
    writeFileSync(notModel, 'hello');
    const t = await startTestApp({ dir, engine: 'configured' });
    const refused = await put(t, { model_foreground: notModel });
    expect(refused.json().message).toMatch(/is not a whisper\.cpp \(ggml\) model file/);
    expect((await put(t, { model_foreground: model, engine: 'whisper' })).statusCode).toBe(200);
    const health = (await t.request({ url: '/api/health' })).json();
    expect(health.engines.foreground).toMatchObject({ engine: 'whisper:mine', model });
    // The background model was not chosen and is not installed: the queue waits with the reason.
    expect(health.engines.background).toMatchObject({ kind: 'none' });
    expect(health.engines.background.reason).toMatch(/base\.en is not installed/);
    expect((await t.request({ url: '/api/queue' })).json()).toMatchObject({ is_paused: true });
    // Choosing it for the background too lifts that pause.
    await put(t, { model_background: model });
    const queue = (await t.request({ url: '/api/queue' })).json();
    expect(queue.is_paused).toBe(false);
  });

  it('hears each file in its folder language: settings rules and .hark.json', async () => {
    const t = await startTestApp({ engine: 'configured', flags: { engine: 'fake' } });
    expect(
      (
        await put(t, {
          folder_languages: [
            { folder: 'Work', language: 'de' },
            { folder: 'Trips', language: 'es' },
          ],
        })
      ).statusCode,
    ).toBe(200);
    mkdirSync(join(t.notes, 'Trips', 'Paris'), { recursive: true });
    writeFileSync(join(t.notes, 'Trips', 'Paris', '.hark.json'), '{ "language": "fr", "translate": false }');
    t.addFile('root.wav', { text: 'a' });
    t.addFile('Work/2024/meeting.wav', { text: 'b' });
    t.addFile('Trips/Madrid.wav', { text: 'c' });
    t.addFile('Trips/Paris/louvre.wav', { text: 'd' });
    await t.app.services.scanner.scan();
    await drained(t);
    const list = (await t.request({ url: '/api/transcriptions' })).json()
      .transcriptions as TranscriptionJson[];
    const languageOf = (name: string) => list.find((note) => note.audio_path.endsWith(name))?.language;
    expect(languageOf('root.wav')).toBe('en');
    expect(languageOf('meeting.wav')).toBe('de');
    expect(languageOf('Madrid.wav')).toBe('es');
    expect(languageOf('louvre.wav')).toBe('fr');
  });
});
