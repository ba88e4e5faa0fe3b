import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskJson, TranscriptionJson } from '../src/core/json.js';
import { multipart, type Part, wavBuffer } from './helpers/multipart.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';

async function drained(t: TestApp) {
  const worker = t.app.worker;
  if (!worker) return;
  const idle = worker.nextIdle();
  worker.wake();
  await idle;
}

const put = (t: TestApp, body: Record<string, unknown>) =>
  t.request({ method: 'PUT', url: '/api/settings', payload: body });

function upload(t: TestApp, name: string, fields: Record<string, string> = {}) {
  const parts: Part[] = [
    { field: 'allow_duplicate', content: '1' },
    ...Object.entries(fields).map(([field, content]) => ({ field, content })),
    { field: 'file', filename: name, contentType: 'audio/wav', content: wavBuffer(0.3) },
  ];
  return t.request({ method: 'POST', url: '/api/imports', ...multipart(parts) });
}

async function notes(t: TestApp): Promise<TranscriptionJson[]> {
  return (await t.request({ url: '/api/transcriptions' })).json().transcriptions as TranscriptionJson[];
}

describe('language and translate per import', () => {
  it("hears an import in the language chosen for it, over the folder's rule, and keeps the choice through a restart", async () => {
    const dir = tempDir();
    let t = await startTestApp({ dir, engine: 'configured', flags: { engine: 'fake' } });
    expect((await put(t, { folder_languages: [{ folder: 'imports', language: 'de' }] })).statusCode).toBe(
      200,
    );
    await t.request({ method: 'POST', url: '/api/queue/pause' });

    const chosen = await upload(t, 'chosen.wav', { language: 'fr', translate: '1' });
    expect(chosen.statusCode).toBe(201);
    const task = (chosen.json() as { tasks: TaskJson[] }).tasks[0];
    expect(task).toMatchObject({ audio_path: 'imports/chosen.wav', language: 'fr', translate: true });
    const plain = await upload(t, 'plain.wav');
    expect((plain.json() as { tasks: TaskJson[] }).tasks[0]).toMatchObject({
      language: null,
      translate: null,
    });
    // A language by its English name, as --language takes it.
    const named = await upload(t, 'named.wav', { language: 'Spanish' });
    expect((named.json() as { tasks: TaskJson[] }).tasks[0]).toMatchObject({
      language: 'es',
      translate: null,
    });

    // The choice is the task's, in the database: a restart before the work starts keeps it.
    await t.app.stop();
    t = await startTestApp({ dir, engine: 'configured', flags: { engine: 'fake' } });
    const queued = (await t.request({ url: '/api/queue' })).json().tasks as TaskJson[];
    expect(queued.find((one) => one.audio_path === 'imports/chosen.wav')).toMatchObject({
      language: 'fr',
      translate: true,
    });
    await t.request({ method: 'POST', url: '/api/queue/resume' });
    await drained(t);
    const languageOf = async (name: string) =>
      (await notes(t)).find((note) => note.audio_path === `imports/${name}`)?.language;
    expect(await languageOf('chosen.wav')).toBe('fr');
    expect(await languageOf('plain.wav')).toBe('de'); // the folder rule
    expect(await languageOf('named.wav')).toBe('es');

    // Search finds the note with its language, and the exports carry it.
    const found = (await t.request({ url: '/api/transcriptions?q=chosen' })).json()
      .transcriptions as TranscriptionJson[];
    expect(found.map((note) => [note.audio_path, note.language])).toEqual([['imports/chosen.wav', 'fr']]);
    const id = found[0]?.id ?? '';
    const json = (await t.request({ url: `/api/transcriptions/${id}/export?format=json` })).json();
    expect(json.language).toBe('fr');
    const markdown = (await t.request({ url: `/api/transcriptions/${id}/export?format=md` })).body;
    expect(markdown).toContain('language: "fr"');
  });

  it('refuses a combination that cannot work with a 400 before the file is saved or queued', async () => {
    const t = await startTestApp({
      engine: 'configured',
      flags: { engine: 'whisper', 'model-name': 'base.en' },
    });
    const german = await upload(t, 'german.wav', { language: 'de' });
    expect(german.statusCode).toBe(400);
    expect(german.json().message).toMatch(
      /the whisper model base\.en is English-only: it cannot hear german \(de\); use the multilingual model base/,
    );
    const translated = await upload(t, 'translated.wav', { translate: '1' });
    expect(translated.statusCode).toBe(400);
    expect(translated.json().message).toMatch(/base\.en is English-only: it cannot translate/);
    const unknown = await upload(t, 'klingon.wav', { language: 'klingon' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(
      /^language must be auto or a language code whisper knows \(got "klingon"\)/,
    );
    const badSwitch = await upload(t, 'switch.wav', { translate: 'maybe' });
    expect(badSwitch.statusCode).toBe(400);
    expect(badSwitch.json().message).toMatch(/translate must be 1 or 0/);
    // English on an English-only model is fine.
    expect((await upload(t, 'english.wav', { language: 'en', translate: '0' })).statusCode).toBe(201);

    const imports = join(t.notes, 'imports');
    expect(existsSync(imports) ? readdirSync(imports) : []).toEqual(['english.wav']);
    const queue = (await t.request({ url: '/api/queue' })).json();
    expect(queue.tasks.map((task: TaskJson) => task.audio_path)).toEqual(['imports/english.wav']);
  });

  it('says pocketsphinx is English-only when an import asks it for another language', async () => {
    const t = await startTestApp({ engine: 'configured', flags: { engine: 'pocketsphinx' } });
    const answer = await upload(t, 'french.wav', { language: 'fr' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().message).toMatch(/pocketsphinx is English-only: it cannot hear french \(fr\)/);
  });
});
