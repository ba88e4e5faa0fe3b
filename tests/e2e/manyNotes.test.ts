import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_MONITOR, readPageMonitor, resetPageMonitor } from '../../bench/loadScenario.js';
import { transcriptionIdFor } from '../../src/core/orphans.js';
import { SqliteStore } from '../../src/db/sqliteStore.js';
import { DESKTOP, launchBrowser, signInContext, watchPageProblems } from '../helpers/browser.js';
import { type HarkServer, requireBuiltWebUi, startHark } from '../helpers/harkServer.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * 10,000 notes in the store and the Transcriptions tab scrolled from the
 * first to the last: the page keeps a bounded number of cards in the DOM
 * (windowed rendering), fetches the next page as the end comes near, and
 * reaches the last note. The long tasks seen on the way are printed
 * (figures in BENCHMARKS.md); the bound asserted is generous, to catch a freeze.
 */
const NOTES = Number(process.env.HARK_MANY_NOTES ?? 10_000);

let browser: Browser;
let server: HarkServer | null = null;

beforeAll(async () => {
  requireBuiltWebUi();
  browser = await launchBrowser();
});

afterAll(async () => {
  await server?.stop();
  await browser?.close();
});

async function seedNotes(data: string, count: number): Promise<void> {
  mkdirSync(data, { recursive: true });
  const store = SqliteStore.open(join(data, 'hark.db'));
  try {
    const batch = Array.from({ length: count }, (_, i) => {
      const audioPath = `2025-01-${String(1 + (i % 28)).padStart(2, '0')}/${String(i).padStart(6, '0')}-voice-note.wav`;
      return {
        transcriptionId: transcriptionIdFor(audioPath),
        audioPath,
        source: 'orphan' as const,
        originalName: null,
        sidecarPath: audioPath.replace(/\.wav$/, '.txt'),
        text: `note number ${i}: remember to water the plants and call the plumber about the sink`,
      };
    });
    await store.transcriptions.adoptSidecars(batch, Date.now() - 60_000);
  } finally {
    await store.close();
  }
}

const LAST = () => `li[aria-posinset="${NOTES}"]`;
const rendered = (page: Page) => page.locator('.card-list--windowed > li').count();

describe('10,000 notes', () => {
  it('renders a bounded number of cards and scrolls to the last note', async () => {
    const dir = tempDir('hark-many-');
    const notes = join(dir, 'notes');
    const data = join(dir, 'data');
    mkdirSync(notes);
    await seedNotes(data, NOTES);
    server = await startHark({ notes, data });

    const context = await browser.newContext({ ...DESKTOP, baseURL: server.url });
    await signInContext(context, server.url, data);
    await context.addInitScript(PAGE_MONITOR);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = watchPageProblems(page);
    const requests = new Map<string, number>();
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname.replace(
        /\/api\/transcriptions\/[^/]+/,
        '/api/transcriptions/:id',
      );
      requests.set(path, (requests.get(path) ?? 0) + 1);
    });
    await page.goto('/index.html');
    await page.locator('.card-list--windowed > li').first().waitFor();
    await resetPageMonitor(page);

    const started = Date.now();
    let mostRendered = 0;
    let steps = 0;
    // Scroll down a screen at a time, as a reader flicking through would, until the last note shows.
    for (;;) {
      const last = await page.locator(LAST()).count();
      mostRendered = Math.max(mostRendered, await rendered(page));
      if (last > 0) break;
      await page.mouse.wheel(0, 4_000);
      steps++;
      expect(steps, 'scrolled too long without reaching the last note').toBeLessThan(2_000);
      await page.evaluate(
        'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
      );
    }
    const seconds = (Date.now() - started) / 1000;
    const ui = await readPageMonitor(page);
    const articles = await page.getByRole('article').count();
    console.log(
      `${NOTES.toLocaleString()} notes: reached the last in ${seconds.toFixed(1)} s over ${steps} scroll steps; ` +
        `at most ${mostRendered} cards in the DOM; ${ui.longTasks} long tasks, longest ${ui.longestTaskMs} ms, ` +
        `longest frame gap ${ui.maxFrameGapMs} ms; requests ${JSON.stringify(Object.fromEntries(requests))}`,
    );

    // Windowed: a screenful and its margins, never the thousands fetched.
    expect(mostRendered).toBeLessThan(60);
    expect(articles).toBeLessThan(60);
    expect(await page.locator(`li[aria-setsize="${NOTES}"]`).count()).toBeGreaterThan(0);
    // Generous: a freeze is seconds.
    expect(ui.longestTaskMs).toBeLessThan(1_000);
    expect(problems).toEqual([]);
    await context.close();
    await server.stop();
    server = null;
  }, 240_000);
});
