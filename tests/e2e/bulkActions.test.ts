import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { keepShots, saveScreenshot, saveThemedScreenshots, shotsDir } from '../helpers/browser.js';
import { startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { eventually } from '../helpers/wait.js';
import { countBadge, e2eFolders, openHark, posted, section, showTab, taskRow } from './harkPage.js';
import { e2eSession } from './session.js';

const SHOTS = shotsDir('control');

const e2e = e2eSession();

describe('bulk actions', { timeout: 90_000 }, () => {
  it('removes selected finished tasks, retries all failed and clears cancelled', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, 'a-ok.wav', { text: 'ok one', duration: 5 });
    writeFakeAudio(dirs.notes, 'b-ok.wav', { text: 'ok two', duration: 5 });
    writeFakeAudio(dirs.notes, 'c-broken.wav', { fail: 'unreadable' });
    writeFakeAudio(dirs.notes, 'd-broken.wav', { fail: 'unreadable' });
    writeFakeAudio(dirs.notes, 'e-crashy.wav', { fail: 'unreadable' });
    writeFakeAudio(dirs.notes, 'f-long.wav', {
      text: 'long',
      duration: 3600,
      chunkSeconds: 30,
      msPerChunk: 1000,
    });
    e2e.server = await startHark(dirs);
    const { url, authHeaders } = e2e.server;
    const queue = async () =>
      (await (await fetch(`${url}/api/queue`, { headers: authHeaders })).json()) as QueueStatusJson;
    await eventually(
      async () => {
        const q = await queue();
        return q.completed_count === 2 && q.failed_count === 3 && q.processing_count === 1 && q;
      },
      'two done, three failed, the long one running',
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const running = (await queue()).active_task;
    await fetch(`${url}/api/tasks/${running?.id}/cancel`, { method: 'POST', headers: authHeaders });

    e2e.hark = await openHark(e2e.browser, url);
    const { page } = e2e.hark;
    await showTab(page, 'Background Tasks');

    // Failed: tick two, Remove selected (2).
    const failed = section(page, 'Failed');
    const removeFailed = failed.getByRole('button', { name: /^Remove selected/ });
    expect(await removeFailed.isDisabled()).toBe(true);
    await failed.getByRole('checkbox', { name: 'Select c-broken.wav' }).check();
    await failed.getByRole('checkbox', { name: 'Select d-broken.wav' }).check();
    await failed.getByRole('button', { name: 'Remove selected (2)' }).waitFor();
    keepShots(SHOTS, await saveThemedScreenshots(page, 'remove-selected'));
    await page.setViewportSize({ width: 375, height: 800 });
    keepShots(SHOTS, [await saveScreenshot(page, 'remove-selected-375')]);
    await page.setViewportSize({ width: 1280, height: 800 });
    const removed = posted(page, /\/api\/tasks\/remove$/);
    await failed.getByRole('button', { name: 'Remove selected (2)' }).click();
    expect((await removed).status()).toBe(200);
    await countBadge(page, '1 failed').waitFor();
    await expect.poll(() => failed.getByRole('listitem').count()).toBe(1);

    // Retry all: the one left goes back to the queue (and fails again: the fake engine always fails it).
    const retried = posted(page, /\/api\/tasks\/retry-failed$/);
    await failed.getByRole('button', { name: 'Retry all 1 failed task' }).click();
    expect(await (await retried).json()).toEqual({ retried: 1 });

    // Completed: open, tick both, Remove selected (2); their notes stay.
    await page.getByRole('button', { name: /^Completed \(2\)/ }).click();
    const completed = section(page, 'Completed');
    for (const name of ['a-ok.wav', 'b-ok.wav']) {
      await taskRow(completed, name)
        .getByRole('checkbox', { name: `Select ${name}` })
        .check();
    }
    const removedDone = posted(page, /\/api\/tasks\/remove$/);
    await completed.getByRole('button', { name: 'Remove selected (2)' }).click();
    expect((await removedDone).status()).toBe(200);
    await countBadge(page, '0 completed').waitFor();
    expect((await queue()).completed_count).toBe(0);

    // Cancelled: Clear cancelled empties it.
    await page.getByRole('button', { name: /^Cancelled \(1\)/ }).click();
    const cancelled = section(page, 'Cancelled');
    await taskRow(cancelled, 'f-long.wav').waitFor();
    const cleared = posted(page, /\/api\/tasks\/clear-cancelled$/);
    await cancelled.getByRole('button', { name: 'Clear cancelled' }).click();
    expect(await (await cleared).json()).toEqual({ cleared: 1 });
    // The section goes once nothing is in it.
    await expect.poll(() => section(page, 'Cancelled').count()).toBe(0);
    expect((await queue()).cancelled_count).toBe(0);
  });
});
