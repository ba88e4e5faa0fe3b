import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, signInContext, watchPageProblems } from '../helpers/browser.js';
import { requireBuiltWebUi } from '../helpers/harkServer.js';
import { KETTLE_EVERY, kettleNotes, seedManyNotes } from '../helpers/manyNotes.js';
import { startTestApp } from '../helpers/testApp.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The windowed list's correctness with 10,000 notes in the store: the DOM holds a bounded
 * number of cards, a search narrows the list, and scrolling to the end shows the last note.
 * How smoothly it scrolls (long tasks) is measured by the benchmark, bench/notesList.ts
 * (BENCHMARKS.md), not here: a timing on a shared machine is no test.
 */
const NOTES = 10_000;
const MOST_CARDS = 60;

let browser: Browser;

beforeAll(async () => {
  requireBuiltWebUi();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const cards = (page: Page) => page.locator('.card-list--windowed > li');

const lastRow = (page: Page) => cards(page).last();

/** One jump to the bottom of the page; resolves once the next page of notes is in (or the end shows). */
async function jumpToBottom(page: Page): Promise<void> {
  const before = await lastRow(page).getAttribute('aria-posinset');
  await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
  await expect
    .poll(
      async () => {
        const row = lastRow(page);
        return (
          (await row.getAttribute('aria-posinset')) !== before ||
          (await row.getAttribute('aria-setsize')) !== '-1'
        );
      },
      { interval: 16 },
    )
    .toBe(true);
}

/** Jumps until the list has loaded to its end and shows its last row; returns the most cards seen in the DOM. */
async function scrollToEnd(page: Page, total: number): Promise<number> {
  let most = 0;
  for (let jumps = 0; ; jumps++) {
    most = Math.max(most, await cards(page).count());
    if ((await page.locator(`li[aria-posinset="${total}"][aria-setsize="${total}"]`).count()) > 0)
      return most;
    expect(jumps, 'jumped too often without reaching the end').toBeLessThan(50);
    await jumpToBottom(page);
  }
}

describe('10,000 notes', () => {
  it('keeps a bounded number of cards, narrows by search, and scrolls to the last note', async () => {
    const dir = tempDir('hark-many-');
    await seedManyNotes(join(dir, 'data'), NOTES);
    // In this process (no child to compile and start): the page needs only the server.
    const hark = await startTestApp({ dir });
    await searchAndScroll(hark.app.url ?? '', hark.data);
  }, 120_000);
});

async function searchAndScroll(url: string, data: string): Promise<void> {
  const started = Date.now();

  const context = await browser.newContext({ ...DESKTOP, baseURL: url });
  await signInContext(context, url, data);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = watchPageProblems(page);
  await page.goto('/index.html');
  await cards(page).first().waitFor();
  expect(await cards(page).count()).toBeLessThan(MOST_CARDS);
  expect(await lastRow(page).getAttribute('aria-setsize')).toBe('-1'); // more to come, fetched as needed

  // Deep into the whole list (hundreds of notes fetched on the way down), the DOM still a screenful.
  let most = 0;
  for (let jump = 0; jump < 20; jump++) {
    await jumpToBottom(page);
    most = Math.max(most, await cards(page).count());
  }
  expect(most).toBeLessThan(MOST_CARDS);
  expect(Number(await lastRow(page).getAttribute('aria-posinset'))).toBeGreaterThan(500);
  await page.evaluate('window.scrollTo(0, 0)');

  // A search narrows 10,000 to the notes that mention a kettle, and scrolled to its end it shows
  // the last note (note 0, the oldest: the last of the whole list too).
  const matches = kettleNotes(NOTES);
  await page.getByRole('searchbox', { name: 'Search transcriptions' }).fill('kettle');
  await page.getByText(`note number ${(matches - 1) * KETTLE_EVERY}: buy coffee filters`).waitFor();
  expect(await scrollToEnd(page, matches)).toBeLessThan(MOST_CARDS);
  await page.getByText('note number 0: buy coffee filters and a new kettle').waitFor();
  expect(await page.getByRole('article').count()).toBeLessThan(MOST_CARDS);

  expect(problems).toEqual([]);
  console.log(
    `10,000 notes: scrolled deep, searched and scrolled to the end in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await context.close();
}
