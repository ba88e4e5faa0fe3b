import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TaskJson, TranscriptionJson } from '../../src/core/json.js';
import { shotsDir } from '../helpers/browser.js';
import { startHark } from '../helpers/harkServer.js';
import { dropFiles, e2eFolders, importDialog, openHark, posted } from './harkPage.js';
import { e2eSession } from './session.js';

/** Where this lane's screenshots go, to be looked at (test-artifacts/shots/, or $HARK_SHOTS). */
const SHOTS = shotsDir('langs');

const e2e = e2eSession();

async function shots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function api(url: string, path: string, init: RequestInit = {}): Promise<Response> {
  const s = e2e.server;
  if (!s) throw new Error('no e2e.server');
  return fetch(`${url}${path}`, {
    ...init,
    headers: { ...s.authHeaders, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
}

const wav = { name: 'Interview in Berlin.wav', type: 'audio/wav', kind: 'wav' as const };

describe('the import dialog: language and translate per import', () => {
  it("names the folder's language as the default, and imports in the language chosen, translated", async () => {
    e2e.server = await startHark({ ...e2eFolders(), engine: 'fake' });
    const put = await api(e2e.server.url, '/api/settings', {
      method: 'PUT',
      body: JSON.stringify({ folder_languages: [{ folder: 'imports', language: 'es' }] }),
    });
    expect(put.status).toBe(200);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;

    await dropFiles(page, [wav], { confirm: false });
    const dialog = importDialog(page);
    await dialog.waitFor();
    const language = dialog.getByLabel('Language spoken');
    await expect
      .poll(() => language.locator('option:checked').textContent())
      .toBe('As the rule for imports says (Spanish)');
    const translate = dialog.getByRole('switch', { name: 'Translate into English' });
    expect(await translate.isChecked()).toBe(false);
    await shots(page, 'import-dialog-default');
    await language.selectOption('de');
    await translate.check();
    await shots(page, 'import-dialog');

    const answer = posted(page, /^\/api\/imports$/);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const response = await answer;
    expect(response.status()).toBe(201);
    const task = ((await response.json()) as { tasks: TaskJson[] }).tasks[0];
    expect(task).toMatchObject({
      audio_path: 'imports/Interview in Berlin.wav',
      language: 'de',
      translate: true,
    });
    await dialog.waitFor({ state: 'hidden' });

    // Heard in German, not the folder's Spanish.
    await expect
      .poll(async () => {
        const list = (await (await api(e2e.server?.url ?? '', '/api/transcriptions')).json()) as {
          transcriptions: TranscriptionJson[];
        };
        return list.transcriptions.find((note) => note.audio_path === task?.audio_path)?.language ?? null;
      })
      .toBe('de');
    // The note shows it.
    const card = page.getByRole('article').filter({ hasText: 'Interview in Berlin' });
    await card.getByTitle('Spoken language: German (de)').waitFor();
    await shots(page, 'note-language');

    // Left alone, the dialog sends no choice: the folder's rule decides. The same audio again is a
    // duplicate, and "Import anyway" sends the dialog's choice again (here: none, so null on the task).
    await dropFiles(page, [{ ...wav, name: 'Second.wav' }], { confirm: false });
    await expect
      .poll(() => language.locator('option:checked').textContent())
      .toBe('As the rule for imports says (Spanish)');
    const second = posted(page, /^\/api\/imports$/);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const refused = await second;
    expect(refused.status()).toBe(409);
    const anyway = posted(page, /^\/api\/imports$/);
    await page
      .getByRole('dialog', { name: 'This recording is already a note' })
      .getByRole('button', { name: 'Import anyway' })
      .click();
    const plain = ((await (await anyway).json()) as { tasks: TaskJson[] }).tasks[0];
    expect(plain).toMatchObject({ audio_path: 'imports/Second.wav', language: null, translate: null });

    // Cancel imports nothing.
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/imports')) posts++;
    });
    await dropFiles(page, [{ ...wav, name: 'Not this one.wav' }], { confirm: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(posts).toBe(0);
  });

  it('says why a language the model cannot hear was refused, and imports nothing', async () => {
    const folders = e2eFolders();
    e2e.server = await startHark({ ...folders, engine: 'whisper' });
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await dropFiles(page, [wav], { confirm: false });
    const dialog = importDialog(page);
    await dialog.getByLabel('Language spoken').selectOption('de');
    const answer = posted(page, /^\/api\/imports$/);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    expect((await answer).status()).toBe(400);
    const alert = page.getByRole('alert').filter({
      hasText: 'Interview in Berlin.wav was not imported: the whisper model base.en is English-only',
    });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/use the multilingual model base/);
    await shots(page, 'import-refused');
    const queue = (await (await api(e2e.server.url, '/api/queue')).json()) as { tasks: TaskJson[] };
    expect(queue.tasks).toEqual([]);
  });

  it('lists the quantized models on the Settings page, with their sizes and what they hear', async () => {
    e2e.server = await startHark({ ...e2eFolders(), engine: 'fake' });
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await page.getByRole('tab', { name: 'Settings' }).click();
    const turbo = page.getByRole('listitem', { name: 'Model large-v3-turbo-q5_0' });
    await turbo.waitFor();
    expect(await turbo.textContent()).toMatch(/quantized.*547 MB.*99 languages/);
    await expect.poll(() => page.getByRole('listitem', { name: /^Model .*-q\d_\d$/ }).count()).toBe(6);
    const sizeless = page.getByRole('listitem', { name: 'Model large-v3-turbo-q8_0' });
    expect(await sizeless.textContent()).toMatch(/size given by the download/);
    await turbo.scrollIntoViewIfNeeded();
    await shots(page, 'quantized-models');
  });
});
