import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { sessionCookie } from './auth.js';
import { ROOT } from './processes.js';

/** Debian's Chromium: tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots and other things a run leaves to look at (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/**
 * Where an issue's screenshots are collected to be looked at: `$HARK_SHOTS/<lane>` when set,
 * else test-artifacts/shots/<lane> inside the checkout (never a path outside it).
 */
export function shotsDir(lane: string): string {
  return join(process.env.HARK_SHOTS ?? join(ARTIFACTS, 'shots'), lane);
}

/** Copies screenshots saved elsewhere (test-artifacts/) into `dir`, under their own names. */
export function keepShots(dir: string, paths: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const path of paths) copyFileSync(path, join(dir, basename(path)));
}

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-sync',
  '--no-first-run',
  '--mute-audio',
];

/** Chromium's fake microphone, which plays `wav` (and grants the permission without asking). */
export function fakeMicrophoneArgs(wav: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required',
  ];
}

/** Headless Chromium; launch one per test file and close it in afterAll. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...extraArgs] });
}

export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1100, height: 860 },
  colorScheme: 'light',
};

/**
 * Problems the page itself reports: script errors and Content-Security-Policy
 * refusals (an inline style or script that slipped into the build). Network
 * errors are not collected: tests stop the server on purpose.
 */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return problems;
}

/** Saves a screenshot of the whole page to test-artifacts/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The same screenshot in the light and the dark theme (the UI follows prefers-color-scheme). */
export async function saveThemedScreenshots(page: Page, name: string): Promise<string[]> {
  const paths = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    paths.push(await saveScreenshot(page, `${name}-${colorScheme}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return paths;
}

/**
 * Signs a browser context in without going through the page: a fresh session
 * (a login code traded, as the page would) set as the context's `hark_session`
 * cookie for `url`. openHark (tests/e2e/harkPage.ts) signs in through the
 * login link instead; this suits a context made by hand (a phone's viewport, say).
 */
export async function signInContext(context: BrowserContext, url: string, dataDir: string): Promise<void> {
  const value = await sessionCookie(url, dataDir);
  await context.addCookies([{ name: 'hark_session', value, url, httpOnly: true, sameSite: 'Strict' }]);
}
