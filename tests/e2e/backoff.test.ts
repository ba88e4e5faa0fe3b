import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { saveScreenshot, saveThemedScreenshots, shotsDir } from '../helpers/browser.js';
import { startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { eventually } from '../helpers/wait.js';
import { e2eFolders, openHark, section, showTab, taskRow } from './harkPage.js';
import { e2eSession } from './session.js';

const SHOTS = shotsDir('control');

const e2e = e2eSession();

describe('a transient failure', { timeout: 90_000 }, () => {
  it('shows the attempt that failed, in plain words, and when the next try comes', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, 'flaky.wav', { fail: 'transient' });
    e2e.server = await startHark(dirs);
    const { url, authHeaders } = e2e.server;
    const waiting = await eventually(async () => {
      const q = (await (
        await fetch(`${url}/api/queue?status=pending`, { headers: authHeaders })
      ).json()) as QueueStatusJson;
      return q.tasks[0]?.next_attempt_at ? q.tasks[0] : undefined;
    }, 'the task in backoff');
    expect(waiting).toMatchObject({ attempts: 1, retryable: false, status: 'pending' });

    e2e.hark = await openHark(e2e.browser, url);
    const { page } = e2e.hark;
    await showTab(page, 'Background Tasks');
    const row = taskRow(section(page, 'Pending'), 'flaky.wav');
    const note = row.getByText(
      /Attempt [12] of 3 failed; (next try at \d{1,2}:\d{2}:\d{2}( [AP]M)?|trying again shortly)\./,
    );
    await note.waitFor();
    expect(await note.textContent()).toContain(waiting.error_summary ?? '∅');
    mkdirSync(SHOTS, { recursive: true });
    const shots = await saveThemedScreenshots(page, 'backoff');
    await page.setViewportSize({ width: 375, height: 800 });
    shots.push(await saveScreenshot(page, 'backoff-375'));
    for (const path of shots) {
      copyFileSync(path, join(SHOTS, path.split('/').pop() ?? 'shot.png'));
    }
  });
});
