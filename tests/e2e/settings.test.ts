import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shotsDir } from '../helpers/browser.js';
import { startHark } from '../helpers/harkServer.js';
import { modelServerEnv, startModelServer } from '../helpers/modelServer.js';
import { e2eFolders, openHark } from './harkPage.js';
import { e2eSession } from './session.js';

/** Where this lane's screenshots go, to be looked at (test-artifacts/shots/, or $HARK_SHOTS). */
const SHOTS = shotsDir('settings');

const e2e = e2eSession();

/** Light, dark, and 375 px wide (light): the three looks every view is checked in. */
async function shots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1100, height: 860 };
  // From the top: a page scrolled to its Save button would show the sticky header halfway down.
  await page.evaluate('window.scrollTo(0, 0)');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: join(SHOTS, `${name}-375.png`), fullPage: true });
  await page.setViewportSize(size);
}

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('form', { name: 'Settings' }).waitFor();
}

describe('the Settings page and the model manager', () => {
  it('shows the first download with its progress, cancels and resumes it, and the queue starts on the model', async () => {
    const folders = e2eFolders();
    const models = await startModelServer(dirname(folders.notes), { holdAfter: 3 * 1024 * 1024 });
    e2e.server = await startHark({ ...folders, engine: 'auto', env: modelServerEnv(models) });
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;

    const banner = page.getByRole('status').filter({ hasText: 'Downloading the base.en model' });
    await banner.waitFor();
    await expect
      .poll(() => banner.textContent())
      .toMatch(/Background transcription starts as soon as it is verified/);
    await expect
      .poll(async () => Number(await banner.getByRole('progressbar').getAttribute('aria-valuenow')))
      .toBeGreaterThan(0);
    await shots(page, 'download-banner');

    await openSettings(page);
    const row = page.getByRole('listitem', { name: 'Model base.en' });
    await row.getByRole('progressbar').waitFor();
    await expect.poll(() => row.textContent()).toMatch(/\d+% of \d+ MB/);
    await shots(page, 'model-manager-mid-download');

    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: /^Resume \(3 MB done\)$/ }).waitFor();
    models.release();
    await row.getByRole('button', { name: /^Resume/ }).click();
    await row.getByText('in use').waitFor();
    await banner.waitFor({ state: 'detached' });
    expect(models.requests.map((request) => request.range)).toEqual([undefined, `bytes=${3 * 1024 * 1024}-`]);
    const queue = await (
      await fetch(`${e2e.server.url}/api/queue`, { headers: e2e.server.authHeaders })
    ).json();
    expect(queue).toMatchObject({ is_paused: false });
  }, 120_000);

  it('edits settings with their sources, refuses what cannot work with the reason, and keeps them after a reload', async () => {
    const folders = e2eFolders();
    const models = await startModelServer(dirname(folders.notes));
    e2e.server = await startHark({
      ...folders,
      engine: 'auto',
      env: { ...modelServerEnv(models), HARK_SIDECAR_FORMAT: 'md' },
    });
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await openSettings(page);
    const form = page.getByRole('form', { name: 'Settings' });

    // Pinned: shown, not editable.
    await expect.poll(() => form.getByText('set by --engine').count()).toBe(1);
    await expect.poll(() => form.getByText('set by HARK_SIDECAR_FORMAT').count()).toBe(1);
    expect(await form.getByLabel('Engine', { exact: true }).isDisabled()).toBe(true);

    await form.getByLabel('When you record').selectOption('never');
    await form.getByLabel(/^Keep completed tasks/).fill('14');
    await form.getByRole('button', { name: 'Add a folder rule' }).click();
    await form.getByLabel('Folder of rule 1').fill('Work/Berlin');
    await form.getByRole('button', { name: 'Save settings' }).click();
    const error = form.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toMatch(
      /base\.en is English-only.*use the multilingual model base.*Work\/Berlin/,
    );
    await shots(page, 'settings-refused');

    // An English folder works with the English model.
    await form
      .getByRole('listitem')
      .filter({ has: page.getByLabel('Folder of rule 1') })
      .getByRole('combobox')
      .selectOption('en');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const answer = await fetch(`${e2e.server.url}/api/settings`, { headers: e2e.server.authHeaders });
    // biome-ignore lint/suspicious/noExplicitAny: the JSON answer, checked field by field
    const saved = ((await answer.json()) as any).settings;
    expect(saved.preempt).toEqual({ value: 'never', source: 'saved', editable: true });
    expect(saved.folder_languages.value).toEqual([{ folder: 'Work/Berlin', language: 'en' }]);
    expect(saved.keep_completed_days.value).toBe(14);

    await page.reload();
    await openSettings(page);
    expect(await form.getByLabel('When you record').inputValue()).toBe('never');
    await shots(page, 'settings');

    // A model file from disk that is not a model: refused with the reason.
    await page.getByLabel('Use a model file from disk').fill(join(folders.notes, 'nothing.bin'));
    await page.getByRole('button', { name: 'Use this file' }).click();
    await page.getByText(/There is no model file at/).waitFor();
  }, 120_000);

  it('shows the offline fallback banner with the download error, and offers the download again', async () => {
    const folders = e2eFolders();
    const models = await startModelServer(dirname(folders.notes), { wrongChecksum: true });
    e2e.server = await startHark({ ...folders, engine: 'auto', env: modelServerEnv(models) });
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    const banner = page
      .getByRole('alert')
      .filter({ hasText: 'Transcribing with pocketsphinx, the offline fallback' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(
      /could not download the base\.en model \(The download of base\.en is corrupt/,
    );
    await shots(page, 'fallback-banner');
    const retried = page.waitForResponse((r) => r.url().endsWith('/api/models/base.en/download'));
    await banner.getByRole('button', { name: 'Retry the base.en download' }).click();
    expect((await retried).status()).toBe(202);
    await banner.getByRole('button', { name: 'Models and settings' }).click();
    await page.getByRole('form', { name: 'Settings' }).waitFor();
  }, 120_000);
});
