import { describe, expect, it } from 'vitest';
import { keepShots, saveScreenshot, saveThemedScreenshots, shotsDir } from '../helpers/browser.js';
import { orphanPath, startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { countBadge, e2eFolders, openHark, posted, section, showTab, tab, taskRow } from './harkPage.js';
import { e2eSession } from './session.js';

/** A file the fake engine takes long over: it stays pending or processing for the whole test. */
const SLOW = { duration: 600, chunkSeconds: 30, msPerChunk: 1000 };
/** Where the screenshots go, to be looked at. */
const SHOTS = shotsDir('strip');

const e2e = e2eSession();

describe('honest status', { timeout: 90_000 }, () => {
  it('shows the strip with Resume, the badge on Background Tasks, cancels all pending, and greys while Hark is down', async () => {
    const dirs = e2eFolders();
    for (const i of [1, 2, 3]) writeFakeAudio(dirs.notes, orphanPath(i), { ...SLOW, text: `orphan ${i}` });
    e2e.server = await startHark(dirs);
    await fetch(`${e2e.server.url}/api/queue/pause`, { method: 'POST', headers: e2e.server.authHeaders });
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;

    // The to-do count is on the Background Tasks tab now, not on Transcriptions.
    await tab(page, 'Background Tasks')
      .filter({ hasText: /3 background tasks to do/ })
      .waitFor();
    expect(await tab(page, 'Transcriptions').textContent()).toBe('Transcriptions');

    const strip = page.locator('.status-strip');
    await strip.getByText('3 notes being transcribed · Paused by you').waitFor();
    keepShots(SHOTS, await saveThemedScreenshots(page, 'strip-paused'));
    await page.setViewportSize({ width: 375, height: 800 });
    keepShots(SHOTS, [await saveScreenshot(page, 'strip-paused-375')]);
    await page.setViewportSize({ width: 1280, height: 800 });

    const resumed = posted(page, /\/api\/queue\/resume$/);
    await strip.getByRole('button', { name: 'Resume' }).click();
    expect((await resumed).status()).toBe(200);
    await strip.getByText(/^3 notes being transcribed$|^3 notes being transcribed · /).waitFor();
    await expect.poll(() => strip.getByText(/Paused by you/).count()).toBe(0);
    keepShots(SHOTS, await saveThemedScreenshots(page, 'strip-running'));

    // The strip links to the queue; Cancel All Pending empties it but for the running task.
    await strip.getByRole('button', { name: /notes being transcribed/ }).click();
    await page.getByRole('tabpanel', { name: 'Background Tasks' }).waitFor();
    await countBadge(page, '2 pending').waitFor();
    // The filter narrows the loaded lists by name and by status.
    const pending = section(page, 'Pending');
    await expect.poll(() => pending.getByRole('listitem').count()).toBe(2);
    await page.getByRole('searchbox', { name: 'Filter tasks by name' }).fill('090003');
    await expect.poll(() => pending.getByRole('listitem').count()).toBe(1);
    await taskRow(pending, '090003-voice-note.wav').waitFor();
    await page.getByRole('searchbox', { name: 'Filter tasks by name' }).fill('');
    await page.getByRole('combobox', { name: 'Filter tasks by status' }).selectOption('failed');
    await expect.poll(() => pending.getByRole('listitem').count()).toBe(0);
    await page.getByRole('combobox', { name: 'Filter tasks by status' }).selectOption('all');
    await expect.poll(() => pending.getByRole('listitem').count()).toBe(2);
    await saveScreenshot(page, 'tasks-filter').then((path) => keepShots(SHOTS, [path]));
    const cancelled = posted(page, /\/api\/tasks\/cancel-pending$/);
    await page.getByRole('button', { name: 'Cancel All Pending' }).click();
    expect((await cancelled).status()).toBe(200);
    await countBadge(page, '0 pending').waitFor();
    await tab(page, 'Background Tasks')
      .filter({ hasText: /1 background task to do/ })
      .waitFor();

    // Hark stops: the page under the banner is greyed and its controls are off.
    await showTab(page, 'Transcriptions');
    await e2e.server.stop();
    e2e.server = null;
    await page.getByRole('alert').filter({ hasText: 'Hark is not reachable' }).waitFor();
    await expect.poll(() => page.locator('main.app-main--offline').count()).toBe(1);
    const buttons = page.locator('main button:visible');
    expect(await buttons.count()).toBeGreaterThan(0);
    for (const button of await buttons.all()) expect(await button.isDisabled()).toBe(true);
    keepShots(SHOTS, [await saveScreenshot(page, 'server-down-greyed')]);
  });
});
