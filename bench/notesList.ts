/**
 * The 10,000-note list's smoothness (issue 11: "10,000 notes, with search, scroll without a long
 * task over 50 ms"):
 *   npm run build:web && npx tsx bench/notesList.ts   (BENCH_NOTES, BENCH_STEPS, BENCH_STEP_PX to change it)
 * BENCH_NOTES finished notes written straight into the store, `hark start` in its own process,
 * the Transcriptions tab in Chromium (/usr/bin/chromium, tests/helpers/browser.ts's flags), then
 * scrolled BENCH_STEPS wheel steps of BENCH_STEP_PX, two frames apart, as a reader flicking
 * through: the whole list, then with a search that matches nearly every note, then with one that
 * narrows it to 157. A PerformanceObserver('longtask') counts the tasks over 50 ms and the longest;
 * the longest gap between animation frames is kept too. The baseline is the same page left
 * idle for as long as the first scroll took: the long tasks the machine causes by itself.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DESKTOP, launchBrowser } from '../tests/helpers/browser.js';
import { requireBuiltWebUi, startHark } from '../tests/helpers/harkServer.js';
import { kettleNotes, seedManyNotes } from '../tests/helpers/manyNotes.js';
import { machine, printTable, type Row, scratch } from './lib.js';
import { PAGE_MONITOR, type PageLoad, readPageMonitor, resetPageMonitor } from './loadScenario.js';

const NOTES = Number(process.env.BENCH_NOTES ?? 10_000);
const STEPS = Number(process.env.BENCH_STEPS ?? 150);
const STEP_PX = Number(process.env.BENCH_STEP_PX ?? 800);

const twoFrames = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';

/** Scrolls STEPS wheel steps (or to the end of a shorter list); returns the figures and the time taken. */
async function scrollRun(page: Page): Promise<PageLoad & { seconds: number; steps: number; cards: number }> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.evaluate(twoFrames);
  await resetPageMonitor(page);
  const started = Date.now();
  let cards = 0;
  let steps = 0;
  for (; steps < STEPS; steps++) {
    await page.mouse.wheel(0, STEP_PX);
    await page.evaluate(twoFrames);
    cards = Math.max(cards, await page.locator('.card-list--windowed > li').count());
    const atEnd = (await page.evaluate(
      'window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2',
    )) as boolean;
    const complete =
      (await page.locator('.card-list--windowed > li[aria-setsize]:not([aria-setsize="-1"])').count()) > 0;
    if (atEnd && complete) break;
  }
  const seconds = (Date.now() - started) / 1000;
  return { ...(await readPageMonitor(page)), seconds, steps, cards };
}

async function search(page: Page, words: string, firstText: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search transcriptions' }).fill(words);
  await page.getByText(firstText).first().waitFor();
}

const figures = (run: PageLoad) =>
  `${run.longTasks} long tasks > 50 ms, longest ${run.longestTaskMs} ms, longest frame gap ${run.maxFrameGapMs} ms`;

async function main(): Promise<void> {
  requireBuiltWebUi();
  const dir = scratch('hark-bench-notes-');
  const notes = join(dir.path, 'notes');
  const data = join(dir.path, 'data');
  await seedManyNotes(data, NOTES);
  const hark = await startHark({ notes, data, noAuth: true });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ ...DESKTOP, baseURL: hark.url });
    await context.addInitScript(PAGE_MONITOR);
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto('/index.html');
    await page.locator('.card-list--windowed > li').first().waitFor();
    await page.evaluate(twoFrames);

    const whole = await scrollRun(page);
    // The baseline: the same page, not scrolled, for as long as that scroll took.
    await resetPageMonitor(page);
    await new Promise((resolve) => setTimeout(resolve, whole.seconds * 1000));
    const idle = await readPageMonitor(page);
    await search(page, 'plumber', 'call the plumber');
    const broad = await scrollRun(page);
    await search(page, 'kettle', 'a new kettle');
    const narrow = await scrollRun(page);
    await context.close();

    const row = (name: string, run: Awaited<ReturnType<typeof scrollRun>>): Row => ({
      benchmark: `${name}: ${run.steps} wheel steps of ${STEP_PX} px in ${run.seconds.toFixed(1)} s, at most ${run.cards} cards in the DOM`,
      hark: figures(run),
      baseline: `idle page, ${whole.seconds.toFixed(1)} s: ${figures(idle)}`,
      ratio: `${run.longTasks - idle.longTasks >= 0 ? '+' : ''}${run.longTasks - idle.longTasks} long tasks`,
      target: 'no long task over 50 ms',
      met: run.longTasks === 0,
    });
    printTable(`${NOTES.toLocaleString('en')} notes in the Transcriptions tab (${machine()})`, [
      row('whole list', whole),
      row('search "plumber" (nearly every note)', broad),
      row(`search "kettle" (${kettleNotes(NOTES)} notes, to the end)`, narrow),
    ]);
  } finally {
    await browser.close();
    await hark.stop();
    dir.remove();
  }
}

await main();
