import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginCode } from '../helpers/auth.js';
import {
  DESKTOP,
  launchBrowser,
  saveScreenshot,
  shotsDir,
  signInContext,
  watchPageProblems,
} from '../helpers/browser.js';
import { type HarkServer, requireBuiltWebUi, startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { suiteDir } from '../helpers/tmp.js';
import { UI_TIMEOUT } from './harkPage.js';

/** Where the lead looks at the screenshots of this lane (besides test-artifacts/). */
const SHOTS = shotsDir('access');

let browser: Browser;
let server: HarkServer | null = null;
let data = '';
let dir: { path: string; remove: () => void } | null = null;

beforeAll(async () => {
  requireBuiltWebUi();
  browser = await launchBrowser();
  dir = suiteDir('hark-signin-');
  mkdirSync(join(dir.path, 'notes'));
  data = join(dir.path, 'data');
  writeFakeAudio(join(dir.path, 'notes'), 'Secret plans.wav', { text: 'the private words of a note' });
}, 60_000);

// One Hark per test (a process left running fails the test); the same data folder, so the same secret.
beforeEach(async () => {
  server = await startHark({ notes: join(dir?.path ?? '', 'notes'), data });
}, 60_000);

afterEach(async () => {
  await server?.stop();
  server = null;
});

afterAll(async () => {
  await browser?.close();
  dir?.remove();
});

async function shot(page: Page, name: string): Promise<void> {
  const path = await saveScreenshot(page, name);
  mkdirSync(SHOTS, { recursive: true });
  copyFileSync(path, join(SHOTS, `${name}.png`));
}

async function freshPage(viewport = DESKTOP) {
  const context = await browser.newContext({ ...viewport, baseURL: server?.url ?? '' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const problems = watchPageProblems(page);
  return { context, page, problems };
}

const signIn = (page: Page) => page.getByRole('heading', { name: 'Sign in to Hark' });

describe('signing in', () => {
  it('shows a stranger how to get in, and nothing of the notes', async () => {
    const { context, page, problems } = await freshPage();
    await page.goto('/');
    await signIn(page).waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('hark open');
    expect(text).toContain('hark start');
    expect(text).not.toMatch(/Secret plans|private words|Transcriptions/);
    await shot(page, 'signin-desktop');
    await page.setViewportSize({ width: 375, height: 740 });
    await shot(page, 'signin-375');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('trades the link for an HttpOnly SameSite=Strict cookie, drops the code from the address bar, and shows the notes', async () => {
    if (!server) throw new Error('no server');
    const code = await loginCode(server.url, data);
    const { context, page, problems } = await freshPage();
    await page.goto(`/?code=${code}`);
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    await page.getByText('the private words of a note').waitFor();
    expect(page.url()).toBe(`${server.url}/`);
    const cookies = await context.cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'hark_session', httpOnly: true, sameSite: 'Strict', path: '/' }),
    ]);
    // The page's script cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');
    // Signed in across a reload (the cookie, not the code).
    await page.reload();
    await page.getByRole('tablist', { name: 'Views' }).waitFor();

    // The same link again, in another browser: used already.
    const other = await freshPage();
    await other.page.goto(`/?code=${code}`);
    await signIn(other.page).waitFor();
    await other.page.getByRole('alert').filter({ hasText: 'used already or has expired' }).waitFor();
    expect(other.page.url()).toBe(`${server.url}/`);
    await shot(other.page, 'signin-used-link');
    await other.context.close();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens signed in with a cookie set on the context (signInContext, for contexts made by hand)', async () => {
    if (!server) throw new Error('no server');
    const { context, page, problems } = await freshPage({ viewport: { width: 375, height: 740 } });
    await signInContext(context, server.url, data);
    await page.goto('/');
    await page.getByText('the private words of a note').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('goes back to the sign-in page at once when its session is revoked', async () => {
    if (!server) throw new Error('no server');
    const code = await loginCode(server.url, data);
    const { context, page, problems } = await freshPage();
    await page.goto(`/?code=${code}#tasks`);
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    expect(page.url()).toBe(`${server.url}/#tasks`);
    const sessions = (await (
      await fetch(`${server.url}/api/auth/sessions`, { headers: server.authHeaders })
    ).json()) as { sessions: { id: string; last_used_at: number }[] };
    const newest = sessions.sessions[0];
    const revoked = await fetch(`${server.url}/api/auth/sessions/${newest?.id}`, {
      method: 'DELETE',
      headers: server.authHeaders,
    });
    expect(revoked.status).toBe(200);
    // The open event stream is cut; the page finds out it is signed out, without a reload.
    await signIn(page).waitFor();
    expect(await page.locator('body').textContent()).not.toContain('private words');
    expect(problems).toEqual([]);
    await context.close();
  });
});
