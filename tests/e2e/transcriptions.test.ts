import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptionJson } from '../../src/core/json.js';
import {
  fakeMicrophoneArgs,
  launchBrowser,
  saveScreenshot,
  saveThemedScreenshots,
} from '../helpers/browser.js';
import {
  type HarkServer,
  orphanPath,
  requireBuiltWebUi,
  startHark,
  writeFakeAudio,
} from '../helpers/harkServer.js';
import { SENTENCES, speak } from '../helpers/speech.js';
import { suiteDir } from '../helpers/tmp.js';
import {
  closeHark,
  e2eFolders,
  type HarkPage,
  openHark,
  posted,
  section,
  showTab,
  tab,
  taskRow,
  transcriptionCard,
} from './harkPage.js';

let browser: Browser;
let fixtures: ReturnType<typeof suiteDir>;
let server: HarkServer | null = null;
let hark: HarkPage | null = null;

beforeAll(async () => {
  requireBuiltWebUi();
  fixtures = suiteDir('hark-e2e-mic-');
  // Chromium's fake microphone plays this, in a loop, to any page that asks for audio.
  const voice = speak(SENTENCES[0], join(fixtures.path, 'voice.wav'));
  browser = await launchBrowser(fakeMicrophoneArgs(voice));
});

afterAll(async () => {
  await browser?.close();
  fixtures?.remove();
});

afterEach(async () => {
  const problems = await closeHark(hark, server);
  hark = null;
  server = null;
  expect(problems, 'script errors or CSP refusals in the page').toEqual([]);
});

async function recordingState(running: HarkServer | null): Promise<string> {
  const answer = (await (
    await fetch(`${running?.url}/api/recordings/state`, { headers: running?.authHeaders ?? {} })
  ).json()) as {
    recording_state: string;
  };
  return answer.recording_state;
}

describe('the Transcriptions tab', { timeout: 60_000 }, () => {
  it('records with the microphone, uploads the recording and lists it with its text', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), { text: 'the garden needs water on thursday', duration: 95 });
    // Long background work, which steps aside while the user records (plan 8).
    writeFakeAudio(dirs.notes, orphanPath(2), { duration: 600, chunkSeconds: 30, msPerChunk: 1000 });
    server = await startHark(dirs);
    hark = await openHark(browser, server.url);
    const { page, context } = hark;
    await context.grantPermissions(['microphone'], { origin: server.url });
    await transcriptionCard(page, 'the garden needs water on thursday')
      .getByText('Found in your notes folder')
      .waitFor();

    const started = posted(page, /\/api\/recordings\/start$/);
    await page.getByRole('button', { name: 'Record a voice note' }).click();
    expect((await started).status()).toBe(200);
    const panel = page.getByRole('region', { name: 'Record a voice note' });
    // The elapsed time counts up, and the meter hears the fake microphone's speech.
    await panel.getByText('0:01', { exact: true }).waitFor();
    const meter = panel.getByRole('meter', { name: 'Microphone level' });
    await expect
      .poll(() => meter.evaluate((element) => (element as unknown as { value: number }).value))
      .toBeGreaterThan(0);
    await expect.poll(() => recordingState(server)).toBe('Recording');
    await saveScreenshot(page, 'recording-in-progress');

    // From the keyboard: the arrow keys move between the tabs; the recording goes on.
    await tab(page, 'Transcriptions').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tabpanel', { name: 'Background Tasks' }).waitFor();
    expect(
      await tab(page, 'Background Tasks').evaluate(
        (element) => element === element.ownerDocument.activeElement,
      ),
    ).toBe(true);
    await section(page, 'Paused for your recording').waitFor();
    await taskRow(section(page, 'Pending'), '090002-voice-note.wav')
      .getByText('Paused for your recording')
      .waitFor();
    await saveScreenshot(page, 'background-tasks-during-recording');
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('tabpanel', { name: 'Transcriptions' }).waitFor();

    const uploaded = posted(page, /\/api\/recordings$/);
    await page.getByRole('button', { name: 'Stop recording and transcribe' }).click();
    const response = await uploaded;
    expect(response.status()).toBe(201);
    const result = (await response.json()) as { transcription: TranscriptionJson; error: string | null };
    expect(result.error).toBeNull();
    expect(result.transcription.source).toBe('recording');
    expect(result.transcription.audio_path).toMatch(/^\d{4}-\d{2}-\d{2}\/\d{6}-voice-note\.webm$/);

    // The fake engine "hears" a browser recording as "transcript of <file name>".
    const fileName = result.transcription.audio_path.split('/')[1] ?? '';
    const card = transcriptionCard(page, `transcript of ${fileName}`);
    await card.getByText('Recorded in Hark', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Record a voice note' }).waitFor();
    // The background task carries on.
    await showTab(page, 'Background Tasks');
    await section(page, 'Currently processing').getByText('090002-voice-note.wav', { exact: true }).waitFor();
    await showTab(page, 'Transcriptions');
    // Newest first: the recording is above the orphan recorded a minute before the test.
    await page
      .getByRole('article')
      .first()
      .filter({ hasText: `transcript of ${fileName}` })
      .waitFor();

    // Its audio plays from the server, which answers range requests (the player appears on Play).
    await card.getByRole('button', { name: /^Play / }).click();
    const audioUrl = await card.locator('audio').getAttribute('src');
    const audio = await page.request.get(`${audioUrl}`, { headers: { Range: 'bytes=0-3' } });
    expect(audio.status()).toBe(206);
    expect([...(await audio.body())]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    // Export as subtitles.
    const vtt = await page.request.get(
      `${await card.getByRole('link', { name: /as VTT$/ }).getAttribute('href')}`,
    );
    expect(await vtt.text()).toMatch(/^WEBVTT/);
    await tab(page, 'Transcriptions').waitFor();

    await saveThemedScreenshots(page, 'transcriptions-tab');
  });

  it('searches the transcripts, and says when nothing matches', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), { text: 'call the plumber about the kitchen sink' });
    writeFakeAudio(dirs.notes, orphanPath(2), { text: 'buy coffee filters and a new kettle' });
    server = await startHark(dirs);
    hark = await openHark(browser, server.url);
    const { page } = hark;
    await transcriptionCard(page, 'call the plumber').waitFor();
    await transcriptionCard(page, 'coffee filters').waitFor();

    const search = page.getByRole('searchbox', { name: 'Search transcriptions' });
    await search.fill('kett');
    await page.getByRole('list', { name: 'Transcriptions matching kett' }).waitFor();
    await transcriptionCard(page, 'coffee filters').locator('mark').getByText('kettle').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);

    await search.fill('zebra');
    await page.getByText('No transcription matches “zebra”.').waitFor();

    await search.press('Escape');
    await page.getByRole('list', { name: 'Transcriptions' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(2);
  });

  it('a recording abandoned by closing the page does not hold background work back', async () => {
    const dirs = e2eFolders();
    server = await startHark(dirs);
    hark = await openHark(browser, server.url);
    const { page } = hark;
    await page.getByText('No transcriptions yet.').waitFor();
    await page.getByRole('button', { name: 'Record a voice note' }).click();
    await page.getByText('0:01', { exact: true }).waitFor();
    expect(await recordingState(server)).toBe('Recording');

    await page.close();
    await expect.poll(() => recordingState(server)).toBe('Idle');
  });
});
