import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { StatsJson } from '../../src/core/json.js';
import { keepShots, saveScreenshot, saveThemedScreenshots, shotsDir } from '../helpers/browser.js';
import { startHark } from '../helpers/harkServer.js';
import { e2eFolders, openHark } from './harkPage.js';
import { e2eSession } from './session.js';

const SHOTS = shotsDir('control');
const DAY = 86_400_000;
/** The longest run written below: 0.6 + 2 × 0.05 of 100 s of audio, rounded up. */
const LONGEST_RUN_MS = 100_000;

const e2e = e2eSession();

/** Three days of attempts by two whisper models and pocketsphinx, as the worker would have written them. */
function writeHistory(dbPath: string): void {
  const db = new Database(dbPath);
  const insert = db.prepare(
    `INSERT INTO task_attempts (task_id, transcription_id, worker, engine, started_at, ended_at, outcome, audio_seconds)
     VALUES (?, ?, 'w', ?, ?, ?, 'completed', ?)`,
  );
  const latest = latestRunStart(Date.now());
  let task = 1000;
  for (const back of [2, 1, 0]) {
    const at = latest - back * DAY;
    for (const [engine, rtf] of [
      ['whisper:base.en', 0.2 + back * 0.02],
      ['whisper:small.en', 0.6 + back * 0.05],
      ['pocketsphinx', 0.1],
    ] as const) {
      task++;
      insert.run(task, `t${task}`, engine, at, at + Math.round(rtf * 100_000), 100);
    }
  }
  db.close();
}

/**
 * When the day's runs start: a few minutes ago, so that every run (at most 100 s) has ended, and
 * within one local day, so that a test run just after midnight does not split a day's runs over two.
 */
function latestRunStart(now: number): number {
  const at = now - 60_000 - LONGEST_RUN_MS;
  const end = new Date(at + LONGEST_RUN_MS);
  if (end.getDate() === new Date(at).getDate()) return at;
  end.setHours(0, 0, 0, 0);
  return end.getTime() - 2 * LONGEST_RUN_MS;
}

describe('speed per engine and model', { timeout: 90_000 }, () => {
  it('GET /api/stats and the Statistics chart tell two whisper models apart', async () => {
    const dirs = e2eFolders();
    e2e.server = await startHark(dirs);
    writeHistory(join(dirs.data, 'hark.db'));

    const stats = (await (
      await fetch(`${e2e.server.url}/api/stats?days=7`, { headers: e2e.server.authHeaders })
    ).json()) as StatsJson;
    // The last day with runs: today, or yesterday for a run of this test just after midnight.
    const lastDay = stats.speed
      .map((s) => s.day)
      .sort()
      .at(-1);
    const today = stats.speed.filter((s) => s.day === lastDay);
    expect(today.map((s) => [s.engine, s.model, Number(s.real_time_factor.toFixed(2))]).sort()).toEqual([
      ['pocketsphinx', null, 0.1],
      ['whisper', 'base.en', 0.2],
      ['whisper', 'small.en', 0.6],
    ]);

    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await page.getByRole('tab', { name: 'Statistics' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Statistics' });
    const chart = panel.getByRole('figure', { name: /^Speed per engine and model/ });
    await chart.locator('canvas').waitFor();
    for (const label of ['whisper base.en', 'whisper small.en', 'pocketsphinx']) {
      await chart.getByText(label, { exact: true }).first().waitFor();
    }
    await chart.scrollIntoViewIfNeeded();
    keepShots(SHOTS, await saveThemedScreenshots(page, 'speed-per-model'));
    await page.setViewportSize({ width: 375, height: 800 });
    keepShots(SHOTS, [await saveScreenshot(page, 'speed-per-model-375')]);
  });
});
