/**
 * The web app's PNG icons (web/public/icons/), drawn from its SVGs by
 * Debian's Chromium: `npx tsx scripts/make-icons.ts`. The PNGs are committed;
 * run this again only when an SVG changes.
 * - icon-<n>.png: the favicon (rounded square), for the manifest's "any" purpose;
 * - maskable-<n>.png: full bleed, the microphone inside the safe zone, for "maskable";
 * - apple-touch-icon.png: 180 px, full bleed (iOS rounds the corners itself).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const PUBLIC = join(import.meta.dirname, '..', 'web', 'public');
const OUT = join(PUBLIC, 'icons');

const jobs: { svg: string; size: number; name: string }[] = [
  { svg: 'favicon.svg', size: 192, name: 'icon-192.png' },
  { svg: 'favicon.svg', size: 512, name: 'icon-512.png' },
  { svg: 'icon.svg', size: 192, name: 'maskable-192.png' },
  { svg: 'icon.svg', size: 512, name: 'maskable-512.png' },
  { svg: 'icon.svg', size: 180, name: 'apple-touch-icon.png' },
];

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const job of jobs) {
    const page = await browser.newPage({ viewport: { width: job.size, height: job.size } });
    const svg = readFileSync(join(PUBLIC, job.svg), 'utf8');
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img style="display:block" width="${job.size}" height="${job.size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`,
    );
    await page.screenshot({ path: join(OUT, job.name), omitBackground: true });
    await page.close();
    console.log(`${job.name} (${job.size} px)`);
  }
} finally {
  await browser.close();
}
