import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { authHeadersForPort } from '../helpers/auth.js';
import { shotsDir } from '../helpers/browser.js';
import { startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { eventually } from '../helpers/wait.js';
import { e2eFolders, openHark, section, showTab, taskRow } from './harkPage.js';
import { e2eSession } from './session.js';

/** Where this lane's screenshots go, to be looked at (test-artifacts/shots/, or $HARK_SHOTS). */
const SHOTS = shotsDir('stats');

const e2e = e2eSession();

async function queueStatus(url: string): Promise<QueueStatusJson> {
  const headers = authHeadersForPort(Number(new URL(url).port));
  return (await (await fetch(`${url}/api/queue`, { headers })).json()) as QueueStatusJson;
}

async function shots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1100, height: 860 };
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: join(SHOTS, `${name}-375.png`), fullPage: true });
  await page.setViewportSize(size);
}

describe('the Statistics tab', { timeout: 90_000 }, () => {
  it('draws the charts and the totals from the finished work, and each task shows its history', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, 'meeting.wav', { text: 'meeting', duration: 900 });
    writeFakeAudio(dirs.notes, 'memo.wav', { text: 'memo', duration: 300 });
    writeFakeAudio(dirs.notes, 'corrupt.wav', { fail: 'unreadable' });
    e2e.server = await startHark(dirs);
    const url = e2e.server.url;
    await eventually(
      async () => {
        const queue = await queueStatus(url);
        return queue.completed_count === 2 && queue.failed_count === 1;
      },
      'two completed tasks and one failed',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    e2e.hark = await openHark(e2e.browser, url);
    const { page } = e2e.hark;

    await page.getByRole('tab', { name: 'Statistics' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Statistics' });
    await panel
      .getByTestId('stats-total')
      .getByText(/20 min/)
      .waitFor();
    expect(await panel.getByTestId('stats-total').textContent()).toMatch(
      /Transcribed in all: 20 min 0 s of audio/,
    );
    for (const title of [
      'Audio transcribed per day',
      'Tasks per day by outcome',
      'Queue length over time',
      /^Speed per engine and model/,
    ]) {
      await panel.getByRole('figure', { name: title }).locator('canvas').waitFor();
    }
    expect(await panel.locator('.stats-chart canvas').count()).toBe(4);
    expect(await panel.getByRole('figure', { name: /^Speed per engine and model/ }).textContent()).toMatch(
      /fake/,
    );
    const failures = panel.getByRole('region', { name: 'Failures by kind' });
    expect(await failures.getByRole('row').nth(1).textContent()).toBe('unreadable audio1');
    await page.getByRole('combobox').selectOption('7');
    await panel.getByText(/^Last 7 days:/).waitFor();
    await shots(page, 'statistics');

    await showTab(page, 'Background Tasks');
    const failed = taskRow(section(page, 'Failed'), 'corrupt');
    await failed.getByRole('button', { name: 'History' }).click();
    await failed
      .getByRole('list', { name: 'Attempts' })
      .getByText(/^failed \(unreadable audio\)/)
      .waitFor();
    await page.getByRole('button', { name: /^Completed \(2\)/ }).click();
    const done = taskRow(section(page, 'Completed'), 'meeting');
    await done.getByRole('button', { name: 'History' }).click();
    const attempts = done.getByRole('list', { name: 'Attempts' });
    await attempts.getByText('completed', { exact: true }).waitFor();
    expect(await attempts.textContent()).toMatch(/fake/);
    expect(await done.getByRole('button', { name: 'History' }).getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'history.png'), fullPage: true });
  });
});
