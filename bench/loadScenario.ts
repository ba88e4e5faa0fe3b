/**
 * The issue-6 load scenario, shared by bench/load.ts (figures) and
 * tests/load.test.ts (behaviour): 100,000 tasks in the database, the worker
 * busy with a long file (chunk progress ten times a second), the Background
 * Tasks tab open in Chromium, and GET /api/queue for many different pages
 * from another process.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { QueueStatusJson } from '../src/core/json.js';
import { transcriptionIdFor } from '../src/core/orphans.js';
import { Priority } from '../src/core/types.js';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { fakeAudio } from '../src/transcription/fakeEngine.js';

const execFileAsync = promisify(execFile);

/** The file the worker is busy with: 20 minutes of "audio", a 1 s chunk every 40 ms (about 48 s). */
export const BUSY_FILE = 'busy.wav';

/**
 * Seeds `data`/hark.db with `count` pending tasks (orphans at Low priority,
 * whose files are not there: the worker never gets to them during the run)
 * and the busy file at Normal priority, which the worker takes first.
 */
export async function seedQueue(notes: string, data: string, count: number): Promise<void> {
  mkdirSync(notes, { recursive: true });
  const busy = join(notes, BUSY_FILE);
  writeFileSync(busy, fakeAudio({ text: 'busy words', duration: 1200, chunkSeconds: 1, msPerChunk: 40 }));
  const minuteAgo = Date.now() / 1000 - 60;
  utimesSync(busy, minuteAgo, minuteAgo);
  const store = SqliteStore.open(join(data, 'hark.db'));
  try {
    const now = Date.now() - 60_000;
    await store.tasks.addTasks(
      [
        {
          transcriptionId: transcriptionIdFor(BUSY_FILE),
          audioPath: BUSY_FILE,
          source: 'imported',
          originalName: BUSY_FILE,
          taskType: 'transcribe_imported',
          priority: Priority.Normal,
          fileSize: null,
          fileMtimeMs: null,
        },
      ],
      now,
      2,
    );
    for (let i = 0; i < count; i += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, count - i) }, (_, j) => {
        const path = `2025-01-${String(1 + ((i + j) % 28)).padStart(2, '0')}/${String(i + j).padStart(6, '0')}-voice-note.wav`;
        return {
          transcriptionId: transcriptionIdFor(path),
          audioPath: path,
          source: 'orphan' as const,
          originalName: null,
          taskType: 'transcribe_orphan' as const,
          priority: Priority.Low,
          fileSize: 1,
          fileMtimeMs: 0,
        };
      });
      await store.tasks.addTasks(batch, now, 2);
    }
  } finally {
    await store.close();
  }
}

/**
 * GET /api/queue URLs for many different pages, as open pages and scripts
 * ask for them: each status, the first page and pages deep in the list
 * (found by following cursors), small and large.
 */
export async function queueUrls(base: string): Promise<string[]> {
  const get = async (query: string) =>
    (await (await fetch(`${base}/api/queue${query}`)).json()) as QueueStatusJson;
  const urls = new Set<string>();
  for (const status of ['', 'pending', 'failed', 'completed', 'cancelled']) {
    const filter = status ? `status=${status}&` : '';
    for (const limit of [50, 500]) urls.add(`${base}/api/queue?${filter}limit=${limit}`);
    // Pages deeper in, by following cursors 500 at a time.
    let cursor: string | null = (await get(`?${filter}limit=500`)).next_cursor;
    for (let page = 1; cursor && page <= 120; page++) {
      if ([1, 5, 20, 60, 120].includes(page)) {
        urls.add(`${base}/api/queue?${filter}limit=50&cursor=${cursor}`);
        urls.add(`${base}/api/queue?${filter}limit=500&cursor=${cursor}`);
      }
      cursor = (await get(`?${filter}limit=500&cursor=${cursor}`)).next_cursor;
    }
  }
  urls.add(`${base}/api/queue`);
  return [...urls];
}

export interface LoadResult {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/** Runs bench/loadClient.ts in its own process against `urls` (taken in turn). */
export async function runLoad(urls: string[], concurrency: number, seconds: number): Promise<LoadResult> {
  const [first, ...rest] = urls;
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', 'bench/loadClient.ts', first ?? '', String(concurrency), String(seconds), ...rest],
    { encoding: 'utf8', cwd: new URL('../', import.meta.url).pathname },
  );
  return JSON.parse(stdout) as LoadResult;
}

/** Resident memory of a process, from /proc. */
export function residentMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/**
 * Watches the page's main thread: every long task (over 50 ms, the browser's
 * own definition) from now on, and the longest gap between animation frames.
 * Installed before the page loads (context.addInitScript).
 */
export const PAGE_MONITOR = `
  window.__hark = { longTasks: [], maxFrameGap: 0, since: performance.now() };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__hark.longTasks.push({ at: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  let last = performance.now();
  const frame = (now) => {
    if (now - window.__hark.since > 0) window.__hark.maxFrameGap = Math.max(window.__hark.maxFrameGap, now - last);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
`;

export interface PageLoad {
  longTasks: number;
  longestTaskMs: number;
  maxFrameGapMs: number;
}

/** Starts counting afresh (after the page has loaded). */
export async function resetPageMonitor(page: Page): Promise<void> {
  await page.evaluate(
    'window.__hark.longTasks = []; window.__hark.maxFrameGap = 0; window.__hark.since = performance.now();',
  );
}

export async function readPageMonitor(page: Page): Promise<PageLoad> {
  const state = (await page.evaluate(
    '({ since: window.__hark.since, longTasks: window.__hark.longTasks, maxFrameGap: window.__hark.maxFrameGap })',
  )) as { since: number; longTasks: { at: number; ms: number }[]; maxFrameGap: number };
  const tasks = state.longTasks.filter((task) => task.at >= state.since);
  return {
    longTasks: tasks.length,
    longestTaskMs: Math.round(Math.max(0, ...tasks.map((task) => task.ms))),
    maxFrameGapMs: Math.round(state.maxFrameGap),
  };
}
