import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { keepShots, saveScreenshot, saveThemedScreenshots, shotsDir } from '../helpers/browser.js';
import { startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { eventually } from '../helpers/wait.js';
import { e2eFolders, openHark, section, showTab, taskRow } from './harkPage.js';
import { e2eSession } from './session.js';

const SHOTS = shotsDir('control');

const e2e = e2eSession();

describe('a task’s history', { timeout: 90_000 }, () => {
  it('shows its pre-emption and attempts, and a completed row opens its note', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, 'standup.wav', {
      text: 'standup notes',
      duration: 120,
      chunkSeconds: 30,
      msPerChunk: 700,
    });
    e2e.server = await startHark(dirs);
    const { url, authHeaders } = e2e.server;
    const queue = async () =>
      (await (await fetch(`${url}/api/queue`, { headers: authHeaders })).json()) as QueueStatusJson;
    await eventually(async () => ((await queue()).active_task?.progress ?? 0) > 0, 'the task under way');
    // A pause pre-empts it; resumed, it carries on and finishes.
    await fetch(`${url}/api/queue/pause`, { method: 'POST', headers: authHeaders });
    await eventually(async () => (await queue()).processing_count === 0, 'the task stepped aside');
    await fetch(`${url}/api/queue/resume`, { method: 'POST', headers: authHeaders });
    await eventually(async () => (await queue()).completed_count === 1, 'the task done', {
      timeoutMs: 30_000,
    });

    e2e.hark = await openHark(e2e.browser, url);
    const { page } = e2e.hark;
    await showTab(page, 'Background Tasks');
    await page.getByRole('button', { name: /^Completed \(1\)/ }).click();
    const row = taskRow(section(page, 'Completed'), 'standup.wav');
    await row.getByRole('button', { name: 'History' }).click();
    await row.getByText('Pre-empted once', { exact: false }).waitFor();
    const attempts = row.getByRole('list', { name: 'Attempts' });
    await attempts.getByText(/^pre-empted \(stepped aside, resumed later\)$/).waitFor();
    await attempts.getByText('completed', { exact: true }).waitFor();
    expect(await attempts.getByRole('listitem').count()).toBe(2);
    keepShots(SHOTS, await saveThemedScreenshots(page, 'task-history'));
    await page.setViewportSize({ width: 375, height: 800 });
    keepShots(SHOTS, [await saveScreenshot(page, 'task-history-375')]);
    await page.setViewportSize({ width: 1280, height: 800 });

    await row.getByRole('link', { name: 'Open the note of standup.wav' }).click();
    await page.getByRole('dialog', { name: 'standup' }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#note\//);
  });
});
