import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { dataDirOfPort, loginCode } from '../helpers/auth.js';
import { DESKTOP, watchPageProblems } from '../helpers/browser.js';
import type { HarkServer } from '../helpers/harkServer.js';
import { tempDir } from '../helpers/tmp.js';

/** How long UI state may take to appear (the event stream is coalesced to ten updates a second). */
export const UI_TIMEOUT = 15_000;

export interface HarkPage {
  context: BrowserContext;
  page: Page;
  /** Script errors and CSP refusals seen so far; a test ends by expecting none. */
  problems: string[];
}

/**
 * A fresh browser context on Hark's UI, on the given tab, signed in as a
 * user is: through a one-time login link (`/?code=…`, which the page trades
 * for its session cookie), when the Hark on `url` was started by a helper
 * (harkServer.ts, testApp.ts); otherwise (--no-auth) the page opens as it is.
 */
export async function openHark(
  browser: Browser,
  url: string,
  tab: 'transcriptions' | 'tasks' = 'transcriptions',
): Promise<HarkPage> {
  const context = await browser.newContext({ ...DESKTOP, baseURL: url });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const problems = watchPageProblems(page);
  const data = dataDirOfPort(Number(new URL(url).port));
  const code = data ? await loginCode(url, data) : null;
  await page.goto(`/${code ? `?code=${code}` : ''}${tab === 'tasks' ? '#tasks' : ''}`);
  await page.getByRole('tablist', { name: 'Views' }).waitFor();
  return { context, page, problems };
}

export function tab(page: Page, name: 'Transcriptions' | 'Background Tasks'): Locator {
  return page.getByRole('tab', { name: new RegExp(`^${name}`) });
}

export async function showTab(page: Page, name: 'Transcriptions' | 'Background Tasks'): Promise<void> {
  await tab(page, name).click();
  await page.getByRole('tabpanel', { name }).waitFor();
}

/** A section of the Background Tasks tab: "Pending", "Failed", "Completed", "Currently processing". */
export function section(page: Page, title: string): Locator {
  return page.getByRole('region', { name: new RegExp(`^${title}`) });
}

/** A count badge of the Background Tasks tab, e.g. "2 pending". */
export function countBadge(page: Page, text: string): Locator {
  return page.getByRole('list', { name: 'Task counts' }).getByText(text, { exact: true });
}

export function taskRow(list: Locator, name: string): Locator {
  return list.getByRole('listitem').filter({ hasText: name });
}

export function transcriptionCard(page: Page, text: string | RegExp): Locator {
  return page
    .getByRole('tabpanel', { name: 'Transcriptions' })
    .getByRole('article')
    .filter({ hasText: text });
}

/** Waits for the answer to a POST to `path` (a regular expression on the URL's path). */
export function posted(page: Page, path: RegExp): Promise<Response> {
  return page.waitForResponse(
    (response) => response.request().method() === 'POST' && path.test(new URL(response.url()).pathname),
  );
}

export interface DroppedFile {
  name: string;
  type: string;
  /** 'wav': a short silent WAV made in the page; 'text': these words as a text file. */
  kind: 'wav' | 'text';
  text?: string;
}

/** The browser globals the drop needs (the tests are compiled without the DOM library). */
interface PageGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: (ArrayBuffer | string)[], name: string, options: { type: string }) => unknown;
  DragEvent: new (
    type: string,
    init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean },
  ) => unknown;
  document: { body: { dispatchEvent(event: unknown): boolean } };
}

/**
 * Drops files on the page as a user dragging them from the file manager
 * would: the files are made in the page, and dragenter, dragover and drop
 * carry them to the window. The import dialog then opens; unless told not
 * to (`confirm: false`), the files are imported as their folder says.
 */
export async function dropFiles(
  page: Page,
  files: DroppedFile[],
  options: { confirm?: boolean } = {},
): Promise<void> {
  await page.evaluate((specs) => {
    const browser = globalThis as unknown as PageGlobals;
    const silentWav = (): ArrayBuffer => {
      const samples = 8000;
      const buffer = new ArrayBuffer(44 + samples * 2);
      const view = new DataView(buffer);
      const ascii = (at: number, text: string) => {
        for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
      };
      ascii(0, 'RIFF');
      view.setUint32(4, 36 + samples * 2, true);
      ascii(8, 'WAVE');
      ascii(12, 'fmt ');
      view.setUint32(16, 16, true);
      view.setUint16(20, 1, true);
      view.setUint16(22, 1, true);
      view.setUint32(24, 16000, true);
      view.setUint32(28, 32000, true);
      view.setUint16(32, 2, true);
      view.setUint16(34, 16, true);
      ascii(36, 'data');
      view.setUint32(40, samples * 2, true);
      return buffer;
    };
    const transfer = new browser.DataTransfer();
    for (const spec of specs) {
      const body = spec.kind === 'wav' ? silentWav() : (spec.text ?? '');
      transfer.items.add(new browser.File([body], spec.name, { type: spec.type }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      browser.document.body.dispatchEvent(
        new browser.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    }
  }, files);
  if (options.confirm !== false) await confirmImport(page);
}

/** The import dialog a drop or the file picker opens: Import, with the language its folder says. */
export function importDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Import \d+ files?$/ });
}

export async function confirmImport(page: Page): Promise<void> {
  await importDialog(page).getByRole('button', { name: 'Import', exact: true }).click();
}

/** A test's notes folder (created, empty) and data folder (created by Hark). */
export function e2eFolders(): { notes: string; data: string } {
  const dir = tempDir('hark-e2e-');
  const notes = join(dir, 'notes');
  mkdirSync(notes);
  return { notes, data: join(dir, 'data') };
}

/** Closes a test's page and server; returns the script errors and CSP refusals the page had. */
export async function closeHark(hark: HarkPage | null, server: HarkServer | null): Promise<string[]> {
  const problems = hark?.problems ?? [];
  await hark?.context.close();
  await server?.stop();
  return problems;
}
