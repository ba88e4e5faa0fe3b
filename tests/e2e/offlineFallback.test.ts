import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TranscriptionPageJson } from '../../src/core/json.js';
import { keepShots, saveScreenshot, saveThemedScreenshots, shotsDir } from '../helpers/browser.js';
import { startHark, writeOldFile } from '../helpers/harkServer.js';
import { modelServerEnv, startModelServer } from '../helpers/modelServer.js';
import { wavBuffer } from '../helpers/multipart.js';
import { eventually } from '../helpers/wait.js';
import { e2eFolders, openHark } from './harkPage.js';
import { e2eSession } from './session.js';

const SHOTS = shotsDir('control');

const e2e = e2eSession();

/**
 * The offline first start: `hark start --engine auto` with no model, and a download that
 * cannot succeed. Hark must fall back to pocketsphinx (and transcribe with it), say why in
 * the banner, and offer the download again.
 */
describe('the offline first start', { timeout: 120_000 }, () => {
  for (const failure of [
    {
      name: 'a model e2e.server that refuses (503)',
      refuse: true,
      why: /could not download the base\.en model \(.*503/,
    },
    {
      name: 'no e2e.server at all (connection refused)',
      refuse: false,
      why: /could not download the base\.en model \(.*ECONNREFUSED/,
    },
    {
      // RFC 2606: a name under .invalid never resolves, with or without a network.
      name: 'a model host whose name does not resolve (DNS)',
      refuse: false,
      host: 'models.hark.invalid',
      why: /could not download the base\.en model \(could not download ggml-base\.en\.bin from models\.hark\.invalid: the server name could not be (found|looked up) \(offline\?\) \((ENOTFOUND|EAI_AGAIN)\)\)/,
    },
  ] as { name: string; refuse: boolean; host?: string; why: RegExp }[]) {
    it(`falls back to pocketsphinx with the reason and a retry: ${failure.name}`, async () => {
      const folders = e2eFolders();
      const models = await startModelServer(dirname(folders.notes), { refuseWith: 503 });
      const env = modelServerEnv(models);
      if (!failure.refuse) await models.close();
      if (failure.host) env.HARK_MODEL_BASE_URL = `http://${failure.host}/models/`;
      writeOldFile(folders.notes, 'memo.wav', wavBuffer(2));
      e2e.server = await startHark({ ...folders, engine: 'auto', env });
      const { url, authHeaders } = e2e.server;
      // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
      const get = async (path: string): Promise<any> =>
        (await fetch(`${url}${path}`, { headers: authHeaders })).json();

      const health = await eventually(async () => {
        const h = await get('/api/health');
        return h.engine === 'pocketsphinx' && /^could not download/.test(h.fallback_reason ?? '') && h;
      }, 'the fallback engine, once the download has failed');
      expect(health.engines.background).toMatchObject({ kind: 'pocketsphinx', waiting_for: null });
      expect(health.fallback_reason).toMatch(failure.why);
      // The queue does not wait for a model that will not come: the memo is transcribed by pocketsphinx.
      await eventually(
        async () => ((await get('/api/queue')) as QueueStatusJson).completed_count === 1,
        'the memo transcribed',
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      const notes = (await get('/api/transcriptions')) as TranscriptionPageJson;
      expect(notes.transcriptions.map((t) => t.engine)).toEqual(['pocketsphinx']);

      e2e.hark = await openHark(e2e.browser, url);
      const { page } = e2e.hark;
      const banner = page
        .getByRole('alert')
        .filter({ hasText: 'Transcribing with pocketsphinx, the offline fallback' });
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(failure.why);
      if (failure.refuse) {
        keepShots(SHOTS, await saveThemedScreenshots(page, 'offline-fallback'));
        await page.setViewportSize({ width: 375, height: 800 });
        keepShots(SHOTS, [await saveScreenshot(page, 'offline-fallback-375')]);
        await page.setViewportSize({ width: 1280, height: 800 });
      }
      const retried = page.waitForResponse((r) => r.url().endsWith('/api/models/base.en/download'));
      await banner.getByRole('button', { name: 'Retry the base.en download' }).click();
      expect((await retried).status()).toBe(202);
    });
  }
});
