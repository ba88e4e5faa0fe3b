import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { type HarkServer, requireBuiltWebUi } from '../helpers/harkServer.js';
import { closeHark, type HarkPage } from './harkPage.js';

/** What a browser test file's tests share: one Chromium, and the Hark and page of the test running now. */
export interface E2eSession {
  readonly browser: Browser;
  server: HarkServer | null;
  hark: HarkPage | null;
}

/**
 * The hooks every browser test file needs, registered once: the built web UI checked and one
 * Chromium launched (with `launchArgs`) before the file's tests, closed after them; after each
 * test, its page and its Hark closed, and the test failed if the page saw a script error or a
 * CSP refusal. A test sets `server` and `hark` on the session as it starts them.
 */
export function e2eSession(launchArgs: string[] = []): E2eSession {
  let browser: Browser | null = null;
  const session: E2eSession = {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is launched before the first test (beforeAll)');
      return browser;
    },
    server: null,
    hark: null,
  };
  beforeAll(async () => {
    requireBuiltWebUi();
    browser = await launchBrowser(launchArgs);
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const problems = await closeHark(session.hark, session.server);
    session.hark = null;
    session.server = null;
    expect(problems, 'script errors or CSP refusals in the page').toEqual([]);
  });
  return session;
}
