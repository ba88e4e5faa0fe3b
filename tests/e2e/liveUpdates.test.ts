import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { orphanPath, startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { countBadge, e2eFolders, openHark, section, taskRow } from './harkPage.js';
import { e2eSession } from './session.js';

/** A file the fake engine takes 20 s over, its progress moving once a second. */
const SLOW = { duration: 600, chunkSeconds: 30, msPerChunk: 1000 };
/** How many progress updates of the running task the lists must sit through. */
const PROGRESS_UPDATES = 3;

const e2e = e2eSession();

/** What the page keeps while it watches its lists (the tests are compiled without the DOM library). */
interface WatchedNode {
  isConnected: boolean;
  textContent: string | null;
  [key: string]: unknown;
}
interface ListWatch {
  mutations: string[];
  rows: { node: WatchedNode; props: unknown }[];
  propsKey: string | undefined;
}
interface WatchGlobals {
  document: { querySelectorAll(selector: string): Iterable<WatchedNode> };
  MutationObserver: new (
    callback: (records: { type: string; target: WatchedNode }[]) => void,
  ) => { observe(target: WatchedNode, options: Record<string, boolean>): void };
  hark_listWatch?: ListWatch;
}

/** The lists' containers, and their rows: the task sections' bodies and the transcriptions' cards. */
const LISTS = '.task-section__body, .card-list';
const ROWS = 'li.task-row, .card-list > li';

/**
 * Starts watching every list on the page: a MutationObserver on each list's
 * container, and each row's node with the props React last rendered it with.
 * React keeps those props on the DOM node (`__reactProps$…`) and replaces
 * them whenever the row is rendered again, even when nothing in the DOM
 * changes: so a list that re-renders on a progress tick shows, not only one
 * that re-mounts or re-writes its rows.
 */
function startWatching(selectors: { lists: string; rows: string }): number {
  const page = globalThis as unknown as WatchGlobals;
  const rows = [...page.document.querySelectorAll(selectors.rows)];
  const propsKey = rows[0] ? Object.keys(rows[0]).find((key) => key.startsWith('__reactProps$')) : undefined;
  const watch: ListWatch = {
    mutations: [],
    rows: rows.map((node) => ({ node, props: propsKey ? node[propsKey] : undefined })),
    propsKey,
  };
  page.hark_listWatch = watch;
  const observer = new page.MutationObserver((records) => {
    for (const record of records) watch.mutations.push(`${record.type}: ${record.target.textContent ?? ''}`);
  });
  for (const list of page.document.querySelectorAll(selectors.lists)) {
    observer.observe(list, { childList: true, subtree: true, attributes: true, characterData: true });
  }
  return rows.length;
}

/** What happened to the watched lists since `startWatching`. */
function watchReport(selectors: { rows: string }) {
  const page = globalThis as unknown as WatchGlobals;
  const watch = page.hark_listWatch;
  if (!watch) throw new Error('not watching');
  const current = new Set(page.document.querySelectorAll(selectors.rows));
  const { propsKey } = watch;
  return {
    propsKeyFound: propsKey !== undefined,
    mutations: watch.mutations,
    remounted: watch.rows.filter(({ node }) => !node.isConnected || !current.has(node)).length,
    rerendered: watch.rows
      .filter(({ node, props }) => propsKey !== undefined && node[propsKey] !== props)
      .map(({ node }) => node.textContent?.slice(0, 40) ?? ''),
  };
}

function isListFetch(request: Request): boolean {
  const path = new URL(request.url()).pathname;
  return request.method() === 'GET' && (path === '/api/queue' || path === '/api/transcriptions');
}

describe('live updates', { timeout: 60_000 }, () => {
  it('a progress tick of the running task updates its card and leaves every list alone', async () => {
    const dirs = e2eFolders();
    writeFakeAudio(dirs.notes, orphanPath(1), { text: 'a quick note that is done at once' });
    writeFakeAudio(dirs.notes, orphanPath(2), { fail: 'unreadable' });
    for (const i of [3, 4, 5]) writeFakeAudio(dirs.notes, orphanPath(i), SLOW);
    e2e.server = await startHark(dirs);
    e2e.hark = await openHark(e2e.browser, e2e.server.url, 'tasks');
    const { page } = e2e.hark;
    const inFlight = new Set<Request>();
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (!isListFetch(request)) return;
      inFlight.add(request);
      fetched.push(request.url());
    });
    page.on('requestfinished', (request) => inFlight.delete(request));
    page.on('requestfailed', (request) => inFlight.delete(request));

    // Every list is on the page: pending, failed, completed (opened) and, in the other tab, the notes.
    await countBadge(page, '1 completed').waitFor();
    await countBadge(page, '1 failed').waitFor();
    await countBadge(page, '2 pending').waitFor();
    await page.getByRole('button', { name: /^Completed \(1\)/ }).click();
    await taskRow(section(page, 'Completed'), '090001-voice-note.wav').waitFor();
    await taskRow(section(page, 'Failed'), '090002-voice-note.wav').waitFor();
    await taskRow(section(page, 'Pending'), '090005-voice-note.wav').waitFor();
    const running = section(page, 'Currently processing');
    await running.getByText('090003-voice-note.wav', { exact: true }).waitFor();
    const bar = running.getByRole('progressbar');
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);

    // The lists' own fetches (after the last count change) are over before the watch starts.
    await expect.poll(() => inFlight.size).toBe(0);
    fetched.length = 0;

    const watched = await page.evaluate(startWatching, { lists: LISTS, rows: ROWS });
    // 2 pending, 1 failed, 1 completed, and at least the quick note's card.
    expect(watched).toBeGreaterThanOrEqual(5);

    const seen = [await bar.getAttribute('aria-valuenow')];
    await expect
      .poll(
        async () => {
          const now = await bar.getAttribute('aria-valuenow');
          if (now !== seen.at(-1)) seen.push(now);
          return seen.length;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBeGreaterThan(PROGRESS_UPDATES);
    await countBadge(page, '2 pending').waitFor();

    const report = await page.evaluate(watchReport, { rows: ROWS });
    expect(report.propsKeyFound, 'React keeps the props of a DOM node on it').toBe(true);
    expect(report.mutations, 'DOM changes in the lists during progress ticks').toEqual([]);
    expect(report.remounted, 'rows mounted again').toBe(0);
    expect(report.rerendered, 'rows rendered again').toEqual([]);
    expect(fetched, 'lists fetched again').toEqual([]);
  });
});
