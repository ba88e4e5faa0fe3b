import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  BUSY_FILE,
  PAGE_MONITOR,
  queueUrls,
  readPageMonitor,
  resetPageMonitor,
  residentMb,
  runLoad,
  seedQueue,
} from '../bench/loadScenario.js';
import type { QueueStatusJson } from '../src/core/json.js';
import { DESKTOP, launchBrowser, watchPageProblems } from './helpers/browser.js';
import { requireBuiltWebUi, startHark } from './helpers/harkServer.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

/**
 * 100,000 tasks, the worker busy, the Background Tasks tab open, and many
 * different pages of GET /api/queue asked for from another process. This
 * test checks behaviour only (every answer a 200, the page never freezes,
 * memory bounded); the speed figures (p50/p99) are bench/load.ts's.
 */
const TASKS = 100_000;
const LOAD_SECONDS = 8;

let browser: Browser;

beforeAll(async () => {
  requireBuiltWebUi();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('a queue of 100,000 tasks under load, with the UI open', () => {
  it('answers every request, keeps the page responsive and its memory bounded', async () => {
    const dir = tempDir('hark-load-');
    const notes = join(dir, 'notes');
    const data = join(dir, 'data');
    mkdirSync(data);
    await seedQueue(notes, data, TASKS);
    // --no-auth: this measures the queue and the page under load (bench/ sends no credential);
    // tests/auth.test.ts and tests/attacks/ cover the guard.
    const hark = await startHark({ notes, data, noAuth: true });
    // Stopped here rather than in onTestFinished: the check for leftover processes runs first.
    try {
      await loadWithThePageOpen(hark.url, hark.child.pid ?? 0);
    } finally {
      await hark.stop();
    }
  }, 120_000);
});

async function loadWithThePageOpen(url: string, pid: number): Promise<void> {
  await eventually(async () => {
    const status = (await (await fetch(`${url}/api/queue`)).json()) as QueueStatusJson;
    return status.active_task?.audio_path === BUSY_FILE;
  }, 'the worker to be busy');
  const urls = await queueUrls(url);
  expect(urls.length).toBeGreaterThan(30);

  const context = await browser.newContext({ ...DESKTOP, baseURL: url });
  onTestFinished(async () => {
    await context.close(); // (closing twice is harmless)
  });
  await context.addInitScript(PAGE_MONITOR);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = watchPageProblems(page);
  await page.goto('/index.html#tasks');
  const pending = page.getByRole('region', { name: /^Pending/ });
  await pending.getByText('Showing 50 of 100,000').waitFor();
  const progress = page.getByRole('progressbar', { name: `Transcribing ${BUSY_FILE}` });
  await progress.waitFor();
  await resetPageMonitor(page);

  const rssMb: number[] = [residentMb(pid)];
  const sampler = setInterval(() => rssMb.push(residentMb(pid)), 250);
  onTestFinished(() => clearInterval(sampler));
  const load = runLoad(urls, 8, LOAD_SECONDS);

  // Meanwhile the page keeps up: the running task's progress moves, and "Load more" works.
  const firstPercent = Number(await progress.getAttribute('aria-valuenow'));
  const clicks: number[] = [];
  for (let shown = 100; shown <= 250; shown += 50) {
    const started = Date.now();
    await pending.getByRole('button', { name: 'Load more pending tasks' }).click();
    await pending.getByText(`Showing ${shown} of 100,000`).waitFor();
    clicks.push(Date.now() - started);
  }
  await eventually(
    async () => Number(await progress.getAttribute('aria-valuenow')) >= firstPercent + 2,
    'the progress bar to move',
  );
  const result = await load;
  clearInterval(sampler);
  const ui = await readPageMonitor(page);
  console.log(
    `load: ${result.requests} requests over ${urls.length} pages in ${LOAD_SECONDS} s, ${result.errors} errors ` +
      `(p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms); ` +
      `page: ${ui.longTasks} long tasks, longest ${ui.longestTaskMs} ms, longest frame gap ${ui.maxFrameGapMs} ms, ` +
      `Load more ${clicks.join('/')} ms; server RSS ${rssMb[0]?.toFixed(0)}–${Math.max(...rssMb).toFixed(0)} MB`,
  );

  expect(result.errors).toBe(0);
  expect(result.requests).toBeGreaterThan(100);
  // Generous bounds: a freeze is seconds; these catch one, not a slow machine.
  expect(ui.longestTaskMs).toBeLessThan(1_000);
  expect(ui.maxFrameGapMs).toBeLessThan(2_000);
  expect(Math.max(...clicks)).toBeLessThan(5_000);
  expect(Math.max(...rssMb)).toBeLessThan(1_024);
  expect(problems).toEqual([]);
  // The server is still itself afterwards.
  const status = (await (await fetch(`${url}/api/queue`)).json()) as QueueStatusJson;
  expect(status.pending_count).toBe(TASKS);
  expect(status.active_task?.audio_path).toBe(BUSY_FILE);
  await context.close();
}
