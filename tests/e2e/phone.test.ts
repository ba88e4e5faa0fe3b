import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, sessionCookie } from '../helpers/auth.js';
import {
  DESKTOP,
  fakeMicrophoneArgs,
  launchBrowser,
  shotsDir,
  watchPageProblems,
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
import { e2eFolders, posted, transcriptionCard, UI_TIMEOUT } from './harkPage.js';

/** Where this lane's screenshots go, to be looked at. */
const SHOTS = shotsDir('phone');
const LAN = '127.0.0.2';

const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  colorScheme: 'light',
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
};

let fixtures: ReturnType<typeof suiteDir>;
let server: HarkServer | null = null;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

beforeAll(() => {
  requireBuiltWebUi();
  fixtures = suiteDir('hark-e2e-phone-');
});
afterAll(() => fixtures?.remove());
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  await server?.stop();
  server = null;
  expect(problems.splice(0), 'script errors or CSP refusals in the page').toEqual([]);
});

async function newPage(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const seen = watchPageProblems(page);
  page.on('close', () => problems.push(...seen));
  return page;
}

/** A desktop (or phone) page at the loopback address, signed in as a browser session. */
async function signedIn(browser: Browser, running: HarkServer, data: string, options: BrowserContextOptions) {
  const page = await newPage(browser, { ...options, baseURL: running.url });
  const cookie = await sessionCookie(running.url, data);
  await page.context().addCookies([{ name: 'hark_session', value: cookie, url: running.url }]);
  await page.goto('/index.html');
  await page.getByRole('tablist', { name: 'Views' }).waitFor();
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('pairing a phone', { timeout: 120_000 }, () => {
  let desk: Browser;
  let phone: Browser;
  beforeAll(async () => {
    desk = await launchBrowser();
    // Only the phone trusts Hark's self-signed certificate without asking, and only in this test.
    phone = await launchBrowser(['--ignore-certificate-errors']);
  });
  afterAll(async () => {
    await desk?.close();
    await phone?.close();
  });

  it('shows a QR code on the desktop; the phone opens it, names itself, gets in, and is listed and revoked', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), {
      text: 'buy oat milk and call the plumber about the boiler',
      duration: 40,
    });
    writeFakeAudio(dirs.notes, orphanPath(2), { text: 'the garden needs water on thursday', duration: 95 });
    server = await startHark({ ...dirs, env: { HARK_LAN_ADDRESS: LAN } });
    const port = server.port;
    const page = await signedIn(desk, server, dirs.data, DESKTOP);

    await page.getByRole('button', { name: 'Devices' }).click();
    const dialog = page.getByRole('dialog', { name: 'Devices' });
    await dialog.getByRole('button', { name: 'Show a pairing code' }).click();
    const qr = dialog.getByRole('img', { name: 'QR code to pair your phone' });
    await expect.poll(() => qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const link = (await dialog.locator('.pair__url code').textContent()) ?? '';
    expect(link).toMatch(new RegExp(`^https://127\\.0\\.0\\.2:${port}/\\?pair=`));
    const fingerprint = (await dialog.locator('.pair__fingerprint code').textContent()) ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await shoot(page, 'desktop-pairing-dialog');

    // The phone: what its camera opens from the QR code.
    const mobile = await newPage(phone, PHONE);
    await mobile.goto(link);
    await mobile.getByRole('heading', { name: 'Pair this phone with Hark' }).waitFor();
    expect(new URL(mobile.url()).search, 'the code leaves the address bar').toBe('');
    await mobile.getByLabel('Name this phone').fill('Kitchen phone');
    await mobile.getByRole('button', { name: 'Pair' }).click();
    await mobile.getByRole('tablist', { name: 'Views' }).waitFor();
    expect(new URL(mobile.url()).host).toBe(`${LAN}:${port}`);
    await transcriptionCard(mobile, 'the garden needs water on thursday').waitFor();
    const cookies = await mobile.context().cookies();
    expect(cookies.find((c) => c.name === 'hark_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      secure: true,
    });
    await shoot(mobile, 'phone-main-375');

    // The code worked once.
    const again = await mobile.evaluate(
      async (code) =>
        (
          await fetch('/api/auth/pair', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ code, name: 'again' }),
          })
        ).status,
      new URL(link).searchParams.get('pair'),
    );
    expect(again).toBe(401);

    // The desktop lists it (the list refreshes while the dialog is open), with its last use.
    const row = dialog.getByRole('listitem').filter({ hasText: 'Kitchen phone' });
    await row.getByText(/Paired device · last used just now/).waitFor();
    // The used code's QR goes: the dialog says who paired.
    await dialog.getByRole('status').filter({ hasText: 'Kitchen phone is paired' }).waitFor();
    expect(await qr.count()).toBe(0);
    await dialog.locator('.devices__list').scrollIntoViewIfNeeded();
    await shoot(page, 'desktop-devices-list');

    await row.getByRole('button', { name: 'Revoke Kitchen phone' }).click();
    await row.waitFor({ state: 'detached' });
    const after = await mobile.evaluate(async () => (await fetch('/api/transcriptions')).status);
    expect(after, 'a revoked phone is refused at once').toBe(401);
  });
});

describe('a recording made while the connection is down', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    const voice = speak(SENTENCES[0], join(fixtures.path, 'voice.wav'));
    browser = await launchBrowser(fakeMicrophoneArgs(voice));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is kept by the service worker and uploaded once the connection is back', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), { text: 'the garden needs water on thursday', duration: 95 });
    server = await startHark(dirs);
    const page = await signedIn(browser, server, dirs.data, { ...PHONE, userAgent: undefined });
    await page.context().grantPermissions(['microphone'], { origin: server.url });
    await transcriptionCard(page, 'the garden needs water on thursday').waitFor();
    // The service worker controls the page (it claims it on activation).
    await page.waitForFunction('navigator.serviceWorker.controller !== null');

    const panel = page.getByRole('region', { name: 'Record a voice note' });
    // Online, an upload passes through the worker untouched: 201 from Hark itself.
    await page.getByRole('button', { name: 'Record a voice note' }).click();
    await panel.getByText('0:01', { exact: true }).waitFor();
    const uploaded = posted(page, /\/api\/recordings$/);
    await page.getByRole('button', { name: 'Stop recording and transcribe' }).click();
    expect((await uploaded).status()).toBe(201);
    await page.getByRole('button', { name: 'Record a voice note' }).waitFor();
    await expect.poll(() => page.getByRole('article').count()).toBe(2);

    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Record a voice note' }).click();
    await panel.getByText('0:02', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Stop recording and transcribe' }).click();
    const waiting = page.getByRole('status').filter({ hasText: '1 recording waiting to upload' });
    await waiting.waitFor();
    await page.getByText(/your recording is kept on this device/).waitFor();
    // The count is the service worker's (its IndexedDB), not the page's memory.
    await shoot(page, 'phone-waiting-upload');

    await page.context().setOffline(false);
    await waiting.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => page.getByRole('article').count(), { timeout: 30_000 }).toBe(3);
    // A user recording, through the same route as one made at the desk (it is transcribed first).
    const list = (await (
      await fetch(`${server.url}/api/transcriptions`, {
        headers: authHeaders(dirs.data),
      })
    ).json()) as { transcriptions: { source: string }[] };
    expect(list.transcriptions.filter((t) => t.source === 'recording')).toHaveLength(2);
  });
});
