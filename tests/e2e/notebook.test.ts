import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/core/types.js';
import { authHeadersForPort } from '../helpers/auth.js';
import { startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { dropFiles, e2eFolders, openHark, transcriptionCard } from './harkPage.js';
import { saveShots } from './notebookShots.js';
import { e2eSession } from './session.js';
import { writeWav } from './wavFiles.js';

/**
 * Issue 11's notebook in Chromium: the cards, the transcript view (click to
 * seek, the highlight following playback, the keys), edit mode, the Trash
 * with Undo and Restore, the duplicate-import dialog, a note whose audio is
 * gone. Every new view is photographed (light, dark, 375 px) into
 * NOTEBOOK_SHOTS, to be looked at.
 */

const e2e = e2eSession(['--autoplay-policy=no-user-gesture-required']);

const SEGMENTS: Segment[] = [
  { start: 0, end: 5, text: 'Call the plumber about the kitchen sink.' },
  { start: 5, end: 11, text: 'Then buy coffee filters and a new kettle.' },
  {
    start: 11,
    end: 17,
    text: 'The meeting moved to Thursday.',
    words: [
      { start: 11, end: 11.6, text: 'The' },
      { start: 11.6, end: 12.5, text: 'meeting' },
      { start: 12.5, end: 13.4, text: 'moved' },
      { start: 13.4, end: 14, text: 'to' },
      { start: 14.8, end: 16.2, text: 'Thursday.' },
    ],
  },
  { start: 17, end: 24, text: 'Remember to water the plants on the balcony.' },
];

interface NoteJson {
  id: string;
  title?: string;
  transcription_text: string | null;
  edited?: boolean;
  audio_missing?: boolean;
  trashed_at?: number | string | null;
}

async function api<T>(
  url: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      Origin: url,
      ...authHeadersForPort(Number(new URL(url).port)),
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as T };
}

async function notes(url: string, query = ''): Promise<NoteJson[]> {
  return (await api<{ transcriptions: NoteJson[] }>(url, `/api/transcriptions${query}`)).body.transcriptions;
}

/** Waits until the list has `count` notes (the first scan transcribes the folder). */
async function untilNotes(url: string, count: number): Promise<NoteJson[]> {
  await expect.poll(async () => (await notes(url)).length).toBe(count);
  return notes(url);
}

/** A note with known segments: a 24 s WAV, transcribed, then its segments set through the API. */
async function noteWithSegments(url: string, id: string): Promise<void> {
  const answer = await api(url, `/api/transcriptions/${id}`, {
    method: 'PATCH',
    body: JSON.stringify({ title: 'Plumber, coffee, Thursday', segments: SEGMENTS }),
  });
  expect(answer.status).toBe(200);
}

function audioTime(page: Page): Promise<number> {
  return page
    .getByRole('dialog')
    .locator('audio')
    .evaluate((element) => (element as unknown as { currentTime: number }).currentTime);
}

function currentSegment(page: Page): Promise<string | null> {
  return page.getByRole('dialog').locator('[aria-current="time"]').first().textContent();
}

async function openNote(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { name: title, level: 3 }).getByRole('link').click();
  await page.getByRole('dialog', { name: title }).waitFor();
}

describe('the notebook', { timeout: 90_000 }, () => {
  it('shows each note by its title, date, folder and origin, and opens it to timestamped segments', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, '2024-05-05/071500-voice-note.wav', {
      text: 'call the plumber about the kitchen sink and then buy coffee filters and a new kettle',
      duration: 40,
      chunkSeconds: 8,
    });
    writeFakeAudio(dirs.notes, 'groceries/groceries again.wav', { text: 'milk eggs bread', duration: 7 });
    e2e.server = await startHark(dirs);
    await untilNotes(e2e.server.url, 2);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;

    // The title is the heading; the folder and a plain origin are on the card.
    const card = transcriptionCard(page, 'milk eggs bread');
    await card.getByRole('heading', { name: 'groceries again', level: 3 }).waitFor();
    await card.getByText('Found in your notes folder').waitFor();
    await card.getByText('Folder: groceries', { exact: true }).waitFor();
    await transcriptionCard(page, 'call the plumber')
      .getByText('Folder: 2024-05-05', { exact: true })
      .waitFor();
    await saveShots(page, 'list');

    await openNote(page, '071500-voice-note');
    const dialog = page.getByRole('dialog');
    // 40 s cut into 8 s chunks: five segments, each with its time.
    await expect.poll(() => dialog.getByRole('listitem').count()).toBe(5);
    await dialog.getByRole('button', { name: 'Play from 0:16' }).waitFor();
    await dialog.getByRole('link', { name: /as SRT$/ }).waitFor();
    await saveShots(page, 'transcript-view');

    // E opens edit mode, Escape cancels it, a second Escape closes the note.
    await page.keyboard.press('e');
    await dialog.getByRole('textbox', { name: 'Title' }).waitFor();
    await saveShots(page, 'edit-mode');
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Play from 0:16' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(new URL(page.url()).hash).toBe('');
  });

  it('click-to-seek moves the player, the highlight follows playback, and the keys move by segment', async () => {
    const dirs = e2eFolders();
    writeWav(dirs.notes, 'meetings/plans.wav', 24);
    e2e.server = await startHark(dirs);
    const [note] = await untilNotes(e2e.server.url, 1);
    await noteWithSegments(e2e.server.url, note?.id ?? '');
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await openNote(page, 'Plumber, coffee, Thursday');
    const dialog = page.getByRole('dialog');
    const audio = dialog.locator('audio');
    await expect
      .poll(() => audio.evaluate((element) => (element as unknown as { readyState: number }).readyState))
      .toBeGreaterThan(0);

    // A click on a segment seeks there and plays; the segment is marked.
    await dialog.getByText('Then buy coffee filters').click();
    await expect.poll(() => audioTime(page)).toBeGreaterThanOrEqual(5);
    expect(await audioTime(page)).toBeLessThan(7);
    expect(await currentSegment(page)).toContain('Then buy coffee filters');
    // While it plays, the highlight moves on to the next segment by itself.
    await expect.poll(() => currentSegment(page), { timeout: 15_000 }).toContain('The meeting moved');
    await saveShots(page, 'transcript-playing');

    // A word, where the engine gave word times, seeks to that word.
    await dialog.getByText('Thursday.', { exact: true }).click();
    await expect.poll(() => audioTime(page)).toBeGreaterThanOrEqual(14.8);
    expect(await audioTime(page)).toBeLessThan(16.5);

    // Space pauses; J goes back to the segment's start; K to the next; ← and → move 5 s.
    await page.keyboard.press('Space');
    await expect
      .poll(() => audio.evaluate((element) => (element as unknown as { paused: boolean }).paused))
      .toBe(true);
    await page.keyboard.press('j');
    await expect.poll(() => audioTime(page)).toBe(11);
    await page.keyboard.press('k');
    await expect.poll(() => audioTime(page)).toBe(17);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => audioTime(page)).toBe(12);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => audioTime(page)).toBe(17);
    expect(await currentSegment(page)).toContain('Remember to water');
  });

  it('renames and edits a note with Ctrl+Enter, and the edit is still there after a reload', async () => {
    const dirs = e2eFolders();
    writeWav(dirs.notes, 'meetings/plans.wav', 24);
    e2e.server = await startHark(dirs);
    const [note] = await untilNotes(e2e.server.url, 1);
    await noteWithSegments(e2e.server.url, note?.id ?? '');
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await openNote(page, 'Plumber, coffee, Thursday');
    const dialog = page.getByRole('dialog');

    await dialog.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Errands for Thursday');
    await dialog.getByRole('textbox', { name: /Segment 2/ }).fill('Then buy coffee filters and two kettles.');
    const saved = page.waitForResponse((response) => response.request().method() === 'PATCH');
    await page.keyboard.press('Control+Enter');
    // Shown at once (before the e2e.server answers), then kept.
    await dialog.getByRole('heading', { name: 'Errands for Thursday' }).waitFor();
    expect((await saved).status()).toBe(200);
    await dialog.getByText('edited', { exact: true }).waitFor();

    await page.reload();
    const reopened = page.getByRole('dialog', { name: 'Errands for Thursday' });
    await reopened.getByText('Then buy coffee filters and two kettles.').waitFor();
    // Its other segments keep their times: a click still seeks.
    await reopened.getByRole('button', { name: 'Play from 0:17' }).waitFor();
    await page.keyboard.press('Escape');
    await transcriptionCard(page, 'two kettles')
      .getByRole('heading', { name: 'Errands for Thursday' })
      .waitFor();
    const [after] = await notes(e2e.server.url);
    expect(after?.title).toBe('Errands for Thursday');
    expect(after?.transcription_text).toContain('two kettles');
    expect(after?.edited).toBe(true);
  });

  it('shows the error and keeps the draft when a save is refused', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, 'a/first.wav', { text: 'first words', duration: 4 });
    e2e.server = await startHark(dirs);
    await untilNotes(e2e.server.url, 1);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await page.route('**/api/transcriptions/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: JSON.stringify({ error: 'internal', message: 'The disk is full' }),
          })
        : route.fallback(),
    );
    await openNote(page, 'first');
    const dialog = page.getByRole('dialog');
    await page.keyboard.press('e');
    await dialog.getByRole('textbox', { name: 'Title' }).fill('A better name');
    await page.keyboard.press('Control+Enter');
    await dialog.getByRole('alert').getByText('Your edit was not saved: The disk is full').waitFor();
    // The draft comes back to be saved again, and the old title is back in the list.
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('A better name');
    await page.keyboard.press('Escape');
    await dialog.getByRole('heading', { name: 'first' }).waitFor();
  });

  it('moves a note to the Trash with Undo, and restores it from the Trash view', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, 'a/first.wav', { text: 'first words here', duration: 4 });
    writeFakeAudio(dirs.notes, 'a/second.wav', { text: 'second words here', duration: 4 });
    e2e.server = await startHark(dirs);
    await untilNotes(e2e.server.url, 2);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;

    // Delete, then Undo in the message.
    await openNote(page, 'first');
    await page.getByRole('dialog').getByRole('button', { name: 'Move to Trash' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await transcriptionCard(page, 'first words').waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: '“first” is in the Trash.' }).waitFor();
    await saveShots(page, 'undo-toast');
    await page.getByRole('button', { name: 'Undo' }).click();
    await transcriptionCard(page, 'first words').waitFor();
    expect((await notes(e2e.server.url)).length).toBe(2);

    // Delete again, and restore from the Trash view.
    await openNote(page, 'second');
    await page.getByRole('dialog').getByRole('button', { name: 'Move to Trash' }).click();
    await transcriptionCard(page, 'second words').waitFor({ state: 'detached' });
    await expect.poll(async () => (await notes(e2e.server?.url ?? '', '?trashed=1')).length).toBe(1);
    await page.getByRole('button', { name: 'Trash', exact: true }).click();
    const trash = page.getByRole('region', { name: 'Trash' });
    const trashed = trash.getByRole('article', { name: 'second' });
    await trashed.getByText(/Removed for good/).waitFor();
    await saveShots(page, 'trash');
    await trashed.getByRole('button', { name: 'Restore second' }).click();
    await trash.getByText('The Trash is empty.').waitFor();
    await saveShots(page, 'trash-empty');
    await trash.getByRole('button', { name: '← Your notes' }).click();
    await transcriptionCard(page, 'second words').waitFor();
    expect((await notes(e2e.server.url)).length).toBe(2);
  });

  it('asks before importing a recording that is already a note', async () => {
    const dirs = e2eFolders();
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    const wav = { name: 'kitchen.wav', type: 'audio/wav', kind: 'wav' as const };
    await dropFiles(page, [wav]);
    await expect.poll(async () => (await notes(e2e.server?.url ?? '')).length).toBe(1);

    // The same audio again, under another name.
    await dropFiles(page, [{ ...wav, name: 'kitchen (copy).wav' }]);
    const dialog = page.getByRole('dialog', { name: 'This recording is already a note' });
    await dialog.waitFor();
    await saveShots(page, 'duplicate-dialog');
    await dialog.getByRole('button', { name: 'Open existing' }).click();
    await page.getByRole('dialog', { name: 'kitchen' }).waitFor();
    await page.keyboard.press('Escape');

    await dropFiles(page, [{ ...wav, name: 'kitchen (copy).wav' }]);
    await dialog.waitFor();
    const imported = page.waitForResponse((response) => response.url().endsWith('/api/imports'));
    await dialog.getByRole('button', { name: 'Import anyway' }).click();
    expect((await imported).status()).toBe(201);
    await expect.poll(async () => (await notes(e2e.server?.url ?? '')).length).toBe(2);
  });

  it('marks a note whose audio is gone as "audio missing", with no player', async () => {
    const dirs = e2eFolders();
    const path = writeWav(dirs.notes, 'a/gone soon.wav', 3);
    e2e.server = await startHark(dirs);
    await untilNotes(e2e.server.url, 1);
    rmSync(path);
    // Hark started again: its first scan notices the file is gone.
    await e2e.server.stop();
    e2e.server = await startHark({ ...dirs, port: e2e.server.port });
    await expect.poll(async () => (await notes(e2e.server?.url ?? ''))[0]?.audio_missing).toBe(true);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    const card = transcriptionCard(page, 'gone soon');
    await card.getByText('audio missing').waitFor();
    expect(await card.getByRole('button', { name: /^Play / }).count()).toBe(0);
    expect(await card.locator('audio').count()).toBe(0);
    await openNote(page, 'gone soon');
    await page.getByRole('dialog').getByText('Audio missing.').waitFor();
    await saveShots(page, 'audio-missing');
  });
});
