import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from '../helpers/browser.js';

/** Where the notebook's screenshots go: HARK_SHOTS if set, else test-artifacts/notebook. */
export const NOTEBOOK_SHOTS = process.env.HARK_SHOTS ?? join(ARTIFACTS, 'notebook');

const PHONE = { width: 375, height: 812 };

/**
 * The page as it is now, three ways: light and dark at the test's size, and
 * light at a phone's 375 px. Saved as <name>-light.png, -dark.png, -375.png.
 */
export async function saveShots(page: Page, name: string): Promise<void> {
  mkdirSync(NOTEBOOK_SHOTS, { recursive: true });
  const size = page.viewportSize();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(NOTEBOOK_SHOTS, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(NOTEBOOK_SHOTS, `${name}-375.png`) });
  if (size) await page.setViewportSize(size);
}
