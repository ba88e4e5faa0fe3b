import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/db/sqliteStore.js';
import { authHeadersForPort } from '../helpers/auth.js';
import { DESKTOP, launchBrowser, watchPageProblems } from '../helpers/browser.js';
import { type HarkServer, requireBuiltWebUi, startHark } from '../helpers/harkServer.js';
import { tempDir } from '../helpers/tmp.js';
import { closeHark, e2eFolders, type HarkPage, openHark, UI_TIMEOUT } from './harkPage.js';
import { saveShots } from './notebookShots.js';
import { writeWav } from './wavFiles.js';

/**
 * Issue 11 in Chromium, the note's last two pieces: the transcript a re-transcription kept
 * beside the user's edit (the notice, View, Use it, Dismiss), and Show in folder (opened on
 * this machine with xdg-open; the path with Copy for a paired phone). Screenshots, light and
 * dark, into NOTEBOOK_SHOTS.
 */

let browser: Browser;
let server: HarkServer | null = null;
let hark: HarkPage | null = null;

beforeAll(async () => {
  requireBuiltWebUi();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  const problems = await closeHark(hark, server);
  hark = null;
  server = null;
  expect(problems, 'script errors or CSP refusals in the page').toEqual([]);
});

/** A fake xdg-open first on PATH: it writes its arguments, one a line, to calls.txt. */
function fakeOpener(): { path: string; calls: string } {
  const dir = tempDir('hark-xdg-');
  const calls = join(dir, 'calls.txt');
  writeFileSync(
    join(dir, 'xdg-open'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${calls}'; done\n`,
  );
  chmodSync(join(dir, 'xdg-open'), 0o755);
  return { path: `${dir}:${process.env.PATH}`, calls };
}

async function call<T>(url: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      Origin: url,
      ...authHeadersForPort(Number(new URL(url).port)),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  expect(response.ok, `${init.method ?? 'GET'} ${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

async function openNote(page: Page, title: string) {
  await page.getByRole('heading', { name: title, level: 3 }).getByRole('link').click();
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  return dialog;
}

describe('the note: a newer transcription kept beside an edit, and Show in folder', {
  timeout: 90_000,
}, () => {
  it('says a newer transcription was kept, shows it, and uses it or dismisses it', async () => {
    const dirs = e2eFolders();
    writeWav(dirs.notes, 'errands/plans.wav', 12);
    writeWav(dirs.notes, 'errands/second.wav', 13);
    server = await startHark(dirs);
    await expect
      .poll(
        async () =>
          (await call<{ transcriptions: unknown[] }>(server?.url ?? '', '/api/transcriptions')).transcriptions
            .length,
      )
      .toBe(2);
    // Two notes with a kept alternative: one to use, one to dismiss.
    const ids: string[] = [];
    for (const note of (await call<{ transcriptions: { id: string }[] }>(server.url, '/api/transcriptions'))
      .transcriptions) {
      ids.push(note.id);
    }
    const [first, second] = ids;
    for (const [id, title] of [
      [first, 'Plumber, coffee, Thursday'],
      [second, 'Second thoughts'],
    ] as const) {
      await call(server.url, `/api/transcriptions/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({
          title,
          text: 'Call the plumber. Coffee. Thursday.',
          segments: [{ start: 0, end: 12, text: 'Call the plumber. Coffee. Thursday.' }],
        }),
      });
    }
    await reTranscribe(dirs.data, [first ?? '', second ?? '']);
    hark = await openHark(browser, server.url);
    const { page } = hark;

    const dialog = await openNote(page, 'Plumber, coffee, Thursday');
    const notice = dialog.getByRole('region', { name: 'A newer transcription' });
    await notice.getByText('A newer transcription was kept beside your edit.').waitFor();
    await dialog.getByText('Call the plumber. Coffee. Thursday.').waitFor();
    await notice.getByRole('button', { name: 'View' }).click();
    await notice.getByText('Then buy coffee filters and a new kettle.').waitFor();
    expect(await notice.getByRole('button', { name: 'Hide' }).getAttribute('aria-expanded')).toBe('true');
    await saveShots(page, 'note-alternative');

    await notice.getByRole('button', { name: 'Use it' }).click();
    await notice.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: /Play from 0:05/ }).waitFor();
    await expect.poll(async () => (await noteJson(server?.url ?? '', first ?? '')).edited).toBe(false);
    expect(await noteJson(server.url, first ?? '')).toMatchObject({
      transcription_text:
        'Call the plumber about the kitchen sink. Then buy coffee filters and a new kettle.',
      alternative_text: null,
    });
    await page.keyboard.press('Escape');

    const other = await openNote(page, 'Second thoughts');
    const its = other.getByRole('region', { name: 'A newer transcription' });
    await its.getByRole('button', { name: 'Dismiss' }).click();
    await its.waitFor({ state: 'detached' });
    await other.getByText('Call the plumber. Coffee. Thursday.').waitFor();
    expect(await noteJson(server.url, second ?? '')).toMatchObject({ edited: true, alternative_text: null });
  });

  it('opens the folder with xdg-open from this machine, and gives a paired phone the path to copy', async () => {
    const dirs = e2eFolders();
    writeWav(dirs.notes, 'errands/plans.wav', 6);
    const opener = fakeOpener();
    server = await startHark({ ...dirs, env: { PATH: opener.path } });
    await expect
      .poll(
        async () =>
          (await call<{ transcriptions: unknown[] }>(server?.url ?? '', '/api/transcriptions')).transcriptions
            .length,
      )
      .toBe(1);
    hark = await openHark(browser, server.url);
    const { page } = hark;
    const dialog = await openNote(page, 'plans');
    await dialog.getByRole('button', { name: 'Show in folder' }).click();
    await page.getByText('The folder is open in your file manager.').waitFor();
    await expect
      .poll(() => existsSync(opener.calls) && readFileSync(opener.calls, 'utf8'))
      .toBe(`${join(dirs.notes, 'errands')}\n`);

    // A paired phone: the same button gives the path, with Copy.
    const pairing = await call<{ code: string }>(server.url, '/api/pairing', { method: 'POST' });
    const phone = await browser.newContext({
      ...DESKTOP,
      baseURL: server.url,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    try {
      const paired = await phone.request.post('/api/auth/pair', {
        data: { code: pairing.code, name: 'phone' },
      });
      expect(paired.status()).toBe(200);
      const phonePage = await phone.newPage();
      phonePage.setDefaultTimeout(UI_TIMEOUT);
      const problems = watchPageProblems(phonePage);
      await phonePage.goto('/');
      const onPhone = await openNote(phonePage, 'plans');
      await onPhone.getByRole('button', { name: 'Show in folder' }).click();
      const where = onPhone.getByRole('status').filter({ hasText: 'It is at:' });
      await where.getByText(join(dirs.notes, 'errands'), { exact: true }).waitFor();
      await where.getByText(/not on this device/).waitFor();
      await saveShots(phonePage, 'note-show-in-folder');
      await where.getByRole('button', { name: 'Copy' }).click();
      await where.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await phonePage.evaluate('navigator.clipboard.readText()')).toBe(join(dirs.notes, 'errands'));
      expect(readFileSync(opener.calls, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});

async function noteJson(url: string, id: string) {
  return call<{ edited: boolean; transcription_text: string; alternative_text: string | null }>(
    url,
    `/api/transcriptions/${id}`,
  );
}

/** As a worker's re-transcription is: another process's commit, which the page hears of live. */
async function reTranscribe(data: string, ids: string[]): Promise<void> {
  const store = SqliteStore.open(join(data, 'hark.db'));
  try {
    for (const id of ids) {
      await store.transcriptions.completeRecording({
        id,
        transcript: {
          text: 'Call the plumber about the kitchen sink. Then buy coffee filters and a new kettle.',
          segments: [
            { start: 0, end: 5, text: 'Call the plumber about the kitchen sink.' },
            { start: 5, end: 11, text: 'Then buy coffee filters and a new kettle.' },
          ],
          duration: 12,
        },
        outcome: 'complete',
        engine: 'fake',
        sidecarPath: null,
        now: Date.now(),
      });
    }
  } finally {
    await store.close();
  }
}
