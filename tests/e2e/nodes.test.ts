import { copyFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../../src/core/json.js';
import { authHeadersForPort } from '../helpers/auth.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';
import { untilHarkReady } from '../helpers/harkReady.js';
import {
  type HarkServer,
  orphanPath,
  requireBuiltWebUi,
  startHark,
  writeFakeAudio,
} from '../helpers/harkServer.js';
import { createTestDatabase, postgresServerForFile } from '../helpers/postgres.js';
import { CLI, exited, spawnTs } from '../helpers/processes.js';
import { eventually } from '../helpers/wait.js';
import { closeHark, e2eFolders, type HarkPage, openHark, section } from './harkPage.js';

/** Files the fake engine takes 20 s over: each node stays on its own for the whole test. */
const SLOW = { duration: 600, chunkSeconds: 30, msPerChunk: 1000 };
/** Where the screenshot the lead looks at is copied (besides test-artifacts/). */
const SHOTS = process.env.HARK_NODES_SHOTS ?? '';

const pgServer = postgresServerForFile();
let browser: Browser;
let server: HarkServer | null = null;
let hark: HarkPage | null = null;
const cleanups: (() => Promise<void>)[] = [];

if (pgServer) {
  beforeAll(async () => {
    requireBuiltWebUi();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const problems = await closeHark(hark, server);
    hark = null;
    server = null;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    expect(problems, 'script errors or CSP refusals in the page').toEqual([]);
  });

  describe('the Background Tasks tab with worker nodes', { timeout: 90_000 }, () => {
    it('shows every running task with its node and its progress, and cancels each', async () => {
      const db = await createTestDatabase(pgServer.url());
      cleanups.push(db.drop);
      const dirs = e2eFolders();
      for (const i of [1, 2, 3]) writeFakeAudio(dirs.notes, orphanPath(i), { ...SLOW, text: `note ${i}` });
      server = await startHark({ ...dirs, env: { HARK_DATABASE_URL: db.url } });
      const workerData = join(dirs.data, '..', 'worker-data');
      mkdirSync(workerData);
      const worker = spawnTs(
        CLI,
        ['worker', '--store', db.url, '--notes', dirs.notes, '--data', workerData, '--engine', 'fake'],
        { env: { ...process.env, HARK_DATABASE_URL: '' } },
      );
      const workerExit = exited(worker);
      cleanups.push(async () => {
        if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
        await workerExit;
      });
      await untilHarkReady(worker, workerData);

      // The API first: both running tasks, each with its node, the main node's first or not.
      const url = server.url;
      const status = await eventually(async () => {
        const body = (await (
          await fetch(`${url}/api/queue?status=pending`, {
            headers: authHeadersForPort(Number(new URL(url).port)),
          })
        ).json()) as QueueStatusJson;
        return body.active_tasks.length === 2 && body.active_tasks.every((t) => t.progress > 0) && body;
      }, 'two tasks running, each moving');
      const nodes = status.active_tasks.map((task) => task.node?.split(':').slice(0, 2).join(':'));
      expect(nodes.sort()).toEqual(
        [`${hostname()}:${server.child.pid}`, `${hostname()}:${worker.pid}`].sort(),
      );
      expect(status.active_task?.id).toBe(status.active_tasks[0]?.id);
      expect(status.processing_count).toBe(2);

      hark = await openHark(browser, url, 'tasks');
      const { page } = hark;
      const running = section(page, 'Currently processing');
      await expect.poll(() => running.count()).toBe(2);
      const onWorker = running.filter({ hasText: `on ${hostname()}:${worker.pid}` });
      const onMain = running.filter({ hasText: `on ${hostname()}:${server.child.pid}` });
      await onWorker.waitFor();
      await onMain.waitFor();
      // Each shows its progress, moving.
      for (const card of [onWorker, onMain]) {
        await expect
          .poll(async () => Number(await card.getByRole('progressbar').getAttribute('aria-valuenow')), {
            timeout: 15_000,
          })
          .toBeGreaterThan(0);
      }
      const shot = await saveScreenshot(page, 'background-tasks-two-nodes');
      if (SHOTS) copyFileSync(shot, join(SHOTS, 'background-tasks-two-nodes.png'));

      // Cancel the worker node's task from the main node's page: the worker stops it, and the
      // next pending file goes to whichever node is free.
      const workerTask = status.active_tasks.find((task) => task.node?.includes(`:${worker.pid}:`));
      await onWorker.getByRole('button', { name: `Cancel ${workerTask?.display_name}` }).click();
      await eventually(async () => {
        const body = (await (
          await fetch(`${url}/api/queue?status=cancelled`, {
            headers: authHeadersForPort(Number(new URL(url).port)),
          })
        ).json()) as QueueStatusJson;
        return body.tasks.some((task) => task.id === workerTask?.id);
      }, 'the worker node’s task cancelled');
      await running.filter({ hasText: workerTask?.display_name ?? '?' }).waitFor({ state: 'detached' });
      // The main node's task runs on, and the third file is taken up.
      await expect.poll(() => running.count(), { timeout: 15_000 }).toBe(2);
    });
  });
}
