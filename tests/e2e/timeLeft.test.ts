import { describe, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { keepShots, saveScreenshot, saveThemedScreenshots, shotsDir } from '../helpers/browser.js';
import { orphanPath, startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { eventually } from '../helpers/wait.js';
import { e2eFolders, openHark, section, showTab, taskRow } from './harkPage.js';
import { e2eSession } from './session.js';

/** Where this lane's screenshots go, to be looked at. */
const SHOTS = shotsDir('control');

const e2e = e2eSession();

describe('the total time left', { timeout: 90_000 }, () => {
  it('is said in the strip and over the queue, and every pending row shows its audio length', async () => {
    const dirs = e2eFolders();
    // One short file measures the engine's speed; three hour-long ones wait behind it.
    writeFakeAudio(dirs.notes, orphanPath(1), {
      text: 'quick',
      duration: 30,
      chunkSeconds: 30,
      msPerChunk: 600,
    });
    for (const i of [2, 3, 4]) {
      writeFakeAudio(dirs.notes, orphanPath(i), {
        text: `long ${i}`,
        duration: 3600,
        chunkSeconds: 30,
        msPerChunk: 1000,
      });
    }
    e2e.server = await startHark(dirs);
    const queue = async () =>
      (await (
        await fetch(`${e2e.server?.url}/api/queue`, { headers: e2e.server?.authHeaders })
      ).json()) as QueueStatusJson;
    await eventually(async () => (await queue()).completed_count === 1, 'the short file done', {
      timeoutMs: 30_000,
    });
    await fetch(`${e2e.server.url}/api/queue/pause`, { method: 'POST', headers: e2e.server.authHeaders });
    const paused = await eventually(async () => {
      const q = await queue();
      return q.processing_count === 0 && q.eta_total_seconds !== null && q.eta_total_seconds >= 120 && q;
    }, 'a total of minutes');

    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    const minutes = Math.round((paused.eta_total_seconds ?? 0) / 60);
    const strip = page.locator('.status-strip');
    await strip.getByText(`3 notes being transcribed · about ${minutes} min left · Paused by you`).waitFor();
    keepShots(SHOTS, await saveThemedScreenshots(page, 'time-left-strip'));
    await page.setViewportSize({ width: 375, height: 800 });
    keepShots(SHOTS, [await saveScreenshot(page, 'time-left-strip-375')]);
    await page.setViewportSize({ width: 1280, height: 800 });

    await showTab(page, 'Background Tasks');
    await page.getByTestId('queue-total').getByText(`All queued work: about ${minutes} min left`).waitFor();
    const pending = section(page, 'Pending');
    for (const i of [2, 3, 4]) {
      await taskRow(pending, orphanPath(i).split('/').pop() ?? '')
        .locator('.task-row__duration', { hasText: '1:00:00' })
        .waitFor();
    }
    keepShots(SHOTS, await saveThemedScreenshots(page, 'time-left-queue'));
    await page.setViewportSize({ width: 375, height: 800 });
    keepShots(SHOTS, [await saveScreenshot(page, 'time-left-queue-375')]);
  });
});
