import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { authHeadersForPort } from '../helpers/auth.js';
import { saveThemedScreenshots } from '../helpers/browser.js';
import { orphanPath, startHark, writeFakeAudio } from '../helpers/harkServer.js';
import {
  countBadge,
  dropFiles,
  e2eFolders,
  openHark,
  posted,
  section,
  showTab,
  tab,
  taskRow,
  transcriptionCard,
} from './harkPage.js';
import { e2eSession } from './session.js';

/** A file the fake engine takes 20 s over: it stays pending or processing for the whole test. */
const SLOW = { duration: 600, chunkSeconds: 30, msPerChunk: 1000 };

const e2e = e2eSession();

async function queueStatus(url: string): Promise<QueueStatusJson> {
  const headers = authHeadersForPort(Number(new URL(url).port));
  return (await (await fetch(`${url}/api/queue?status=pending`, { headers })).json()) as QueueStatusJson;
}

describe('the Background Tasks tab', { timeout: 60_000 }, () => {
  it('lists the orphan files as tasks and counts them in the Transcriptions tab badge', async () => {
    const dirs = e2eFolders();
    for (const i of [1, 2, 3])
      writeFakeAudio(dirs.notes, orphanPath(i), { ...SLOW, text: `orphan number ${i}` });
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;

    // Pending + processing, on the Background Tasks tab's label (issue 12).
    await tab(page, 'Background Tasks').filter({ hasText: '3' }).waitFor();
    expect(await tab(page, 'Transcriptions').getAttribute('aria-selected')).toBe('true');
    expect(await tab(page, 'Background Tasks').textContent()).toMatch(/3 background tasks to do/);
    // Pending work is not in the main list (plan principle 3).
    await page.getByText('No transcriptions yet.').waitFor();

    await showTab(page, 'Background Tasks');
    await countBadge(page, '2 pending').waitFor();
    await countBadge(page, '0 completed').waitFor();
    await countBadge(page, '0 failed').waitFor();

    const running = section(page, 'Currently processing');
    await running.getByText('090001-voice-note.wav', { exact: true }).waitFor();
    await running.getByText('Found in your notes folder').waitFor();
    const bar = running.getByRole('progressbar');
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await running.getByText(/min left|less than a minute left/).waitFor();

    const pending = section(page, 'Pending');
    await taskRow(pending, '090002-voice-note.wav').waitFor();
    await taskRow(pending, '090003-voice-note.wav').waitFor();
    expect(await pending.getByRole('listitem').count()).toBe(2);

    // Move the last one to the front: the list's order follows.
    const moved = posted(page, /\/api\/tasks\/\d+\/move-to-front$/);
    await pending.getByRole('button', { name: 'Move 090003-voice-note.wav to the front' }).click();
    expect((await moved).status()).toBe(200);
    await pending.getByRole('listitem').first().filter({ hasText: '090003-voice-note.wav' }).waitFor();

    // Cancel one: it leaves the pending list and the badge.
    const cancelled = posted(page, /\/api\/tasks\/\d+\/cancel$/);
    await pending.getByRole('button', { name: 'Cancel 090002-voice-note.wav' }).click();
    expect((await cancelled).status()).toBe(200);
    await countBadge(page, '1 pending').waitFor();
    await taskRow(pending, '090002-voice-note.wav').waitFor({ state: 'detached' });
    await tab(page, 'Background Tasks')
      .filter({ hasText: /2 background tasks to do/ })
      .waitFor();

    await saveThemedScreenshots(page, 'background-tasks-tab');
  });

  it('pauses and resumes, and the pause is still in force after Hark restarts', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), SLOW);
    writeFakeAudio(dirs.notes, orphanPath(2), SLOW);
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url, 'tasks');
    const { page } = e2e.hark;
    await section(page, 'Currently processing').waitFor();

    const paused = posted(page, /\/api\/queue\/pause$/);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect((await paused).status()).toBe(200);
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByText(/^Paused by you/).waitFor();
    // The running task steps back into the queue, to carry on from its checkpoint later.
    await section(page, 'Currently processing').waitFor({ state: 'detached' });
    await countBadge(page, '2 pending').waitFor();

    // Hark stops: the page says it cannot reach it…
    const port = e2e.server.port;
    await e2e.server.stop();
    await page.getByRole('alert').filter({ hasText: 'Hark is not reachable' }).waitFor();

    // …and reconnects by itself when it is back on the same address, still paused. A file that
    // arrived meanwhile is in the lists without reloading the page: nothing is lost.
    writeFakeAudio(dirs.notes, orphanPath(3), SLOW);
    e2e.server = await startHark({ ...dirs, port });
    await page.getByRole('alert').filter({ hasText: 'Hark is not reachable' }).waitFor({ state: 'detached' });
    await taskRow(section(page, 'Pending'), '090003-voice-note.wav').waitFor();
    await countBadge(page, '3 pending').waitFor();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect((await queueStatus(e2e.server.url)).is_paused).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByText(/^Paused by you/).waitFor();
    await countBadge(page, '3 pending').waitFor();
    expect(await section(page, 'Currently processing').count()).toBe(0);

    const resumed = posted(page, /\/api\/queue\/resume$/);
    await page.getByRole('button', { name: 'Resume' }).click();
    expect((await resumed).status()).toBe(200);
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await section(page, 'Currently processing').getByText('090001-voice-note.wav', { exact: true }).waitFor();
    expect((await queueStatus(e2e.server.url)).is_paused).toBe(false);
  });

  it('shows a failed task with its error, and retries it', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), { fail: 'unreadable' });
    writeFakeAudio(dirs.notes, orphanPath(2), { text: 'this one was fine' });
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url, 'tasks');
    const { page } = e2e.hark;

    const failed = section(page, 'Failed');
    const row = taskRow(failed, '090001-voice-note.wav');
    // In plain words, with Remove (a retry cannot help), and the raw message behind Details.
    await row.getByText("This file isn't audio we can read — it may be damaged.").waitFor();
    await row.getByRole('button', { name: 'Remove 090001-voice-note.wav' }).waitFor();
    expect(await row.getByText('Invalid data found when processing input (fake)').isVisible()).toBe(false);
    await row.getByText('Details', { exact: true }).click();
    await row.getByText('Invalid data found when processing input (fake)').waitFor();
    await countBadge(page, '1 failed').waitFor();
    await tab(page, 'Background Tasks')
      .filter({ hasText: /1 failed task/ })
      .waitFor();

    // The user repairs the file, then retries anyway: it is transcribed from the start.
    writeFakeAudio(dirs.notes, orphanPath(1), { text: 'repaired and transcribed' });
    const retried = posted(page, /\/api\/tasks\/\d+\/retry$/);
    await row.getByRole('button', { name: 'Retry 090001-voice-note.wav' }).click();
    expect((await retried).status()).toBe(200);
    await failed.waitFor({ state: 'detached' });
    await countBadge(page, '0 failed').waitFor();
    await countBadge(page, '2 completed').waitFor();

    await showTab(page, 'Transcriptions');
    await transcriptionCard(page, 'repaired and transcribed')
      .getByText('Found in your notes folder')
      .waitFor();
    await transcriptionCard(page, 'this one was fine').waitFor();
  });

  it('Clear Completed empties the completed list and keeps the transcriptions', async () => {
    const dirs = e2eFolders();
    for (const i of [1, 2, 3]) writeFakeAudio(dirs.notes, orphanPath(i), { text: `quick note ${i}` });
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url, 'tasks');
    const { page } = e2e.hark;

    await countBadge(page, '3 completed').waitFor();
    await page
      .getByText(/^No background tasks: every audio file in your notes folder has a transcript\./)
      .waitFor();
    await page.getByRole('button', { name: /^Completed \(3\)/ }).click();
    const completed = section(page, 'Completed');
    await taskRow(completed, '090003-voice-note.wav').waitFor();
    expect(await completed.getByRole('listitem').count()).toBe(3);

    const cleared = posted(page, /\/api\/tasks\/clear-completed$/);
    await page.getByRole('button', { name: 'Clear Completed' }).click();
    expect(await (await cleared).json()).toEqual({ cleared: 3 });
    await completed.getByText('No completed tasks.').waitFor();
    expect(await completed.getByRole('listitem').count()).toBe(0);
    await countBadge(page, '0 completed').waitFor();
    expect(await page.getByRole('button', { name: 'Clear Completed' }).isDisabled()).toBe(true);

    await showTab(page, 'Transcriptions');
    for (const i of [1, 2, 3]) await transcriptionCard(page, `quick note ${i}`).waitFor();
  });

  it('imports audio files dropped on the window as pending tasks, and says why a file was refused', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), SLOW);
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url, 'tasks');
    const { page } = e2e.hark;
    await section(page, 'Currently processing').waitFor();
    // Paused, so the import stays in the pending list long enough to be seen there.
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await countBadge(page, '1 pending').waitFor();

    const answers: number[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST' && response.url().endsWith('/api/imports')) {
        answers.push(response.status());
      }
    });
    await dropFiles(page, [
      { name: 'Interview with Ana.wav', type: 'audio/wav', kind: 'wav' },
      { name: 'shopping list.txt', type: 'text/plain', kind: 'text', text: 'eggs, milk, bread' },
    ]);
    await expect.poll(() => [...answers].sort()).toEqual([201, 415]);

    const pending = section(page, 'Pending');
    const row = taskRow(pending, 'Interview with Ana.wav');
    await row.getByText('Imported').waitFor();
    await countBadge(page, '2 pending').waitFor();
    await tab(page, 'Background Tasks')
      .filter({ hasText: /2 background tasks to do/ })
      .waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: 'shopping list.txt was not imported: The file is not audio Hark can read' })
      .waitFor();
    expect(await taskRow(pending, 'shopping list.txt').count()).toBe(0);
  });

  it('pages through a long queue with Load more instead of fetching it all', async () => {
    const dirs = e2eFolders();
    for (let i = 1; i <= 121; i++) writeFakeAudio(dirs.notes, orphanPath(i), SLOW);
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url, 'tasks');
    const { page } = e2e.hark;
    await countBadge(page, '120 pending').waitFor();

    const pending = section(page, 'Pending');
    const rows = pending.getByRole('listitem');
    await pending.getByText('Showing 50 of 120').waitFor();
    expect(await rows.count()).toBe(50);

    const more = pending.getByRole('button', { name: 'Load more pending tasks' });
    const page2 = page.waitForResponse((r) => /\/api\/queue\?.*cursor=/.test(r.url()));
    await more.click();
    expect(new URL((await page2).url()).searchParams.get('limit')).toBe('50');
    await pending.getByText('Showing 100 of 120').waitFor();
    await more.click();
    await taskRow(pending, orphanPath(121).split('/')[1] ?? '').waitFor();
    expect(await rows.count()).toBe(120);
    expect(await more.count()).toBe(0);
  });
});
