import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, shotsDir } from '../helpers/browser.js';
import { orphanPath, startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { e2eFolders, openHark } from './harkPage.js';
import { e2eSession } from './session.js';

const SHOTS = shotsDir('control');
const TABS = ['Transcriptions', 'Background Tasks', 'Statistics', 'Settings'] as const;

const e2e = e2eSession();

describe('the four tabs at 375 px', { timeout: 90_000 }, () => {
  it('scroll in their own row, the page never wider than the phone, each tab reachable', async () => {
    const dirs = e2eFolders();
    for (const i of [1, 2, 3])
      writeFakeAudio(dirs.notes, orphanPath(i), { text: `n${i}`, duration: 3600, msPerChunk: 1000 });
    e2e.server = await startHark(dirs);
    await fetch(`${e2e.server.url}/api/queue/pause`, { method: 'POST', headers: e2e.server.authHeaders });
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await page.setViewportSize({ width: 375, height: 812 });
    mkdirSync(SHOTS, { recursive: true });
    for (const name of TABS) {
      const tab = page.getByRole('tab', { name: new RegExp(`^${name}`) });
      await tab.click();
      await page.getByRole('tabpanel', { name }).waitFor();
      // The chosen tab is in view inside the row; the page has no sideways scroll.
      const row = page.getByRole('tablist');
      await expect
        .poll(async () => {
          const [outer, box] = [await row.boundingBox(), await tab.boundingBox()];
          return (
            outer !== null &&
            box !== null &&
            box.x >= outer.x - 1 &&
            box.x + box.width <= outer.x + outer.width + 1
          );
        })
        .toBe(true);
      const pageWidth = await page
        .locator('html')
        .evaluate((el: unknown) => (el as { scrollWidth: number }).scrollWidth);
      expect(pageWidth).toBeLessThanOrEqual(375);
      const slug = name.toLowerCase().replace(/ /g, '-');
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        const path = await saveScreenshot(page, `tabs-375-${slug}-${colorScheme}`);
        copyFileSync(path, join(SHOTS, path.split('/').pop() ?? 'shot.png'));
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });
});
