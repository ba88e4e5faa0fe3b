import { describe, expect, it } from 'vitest';
import { startHark } from '../helpers/harkServer.js';
import { runCli } from '../helpers/processes.js';
import { e2eFolders, openHark } from './harkPage.js';
import { e2eSession } from './session.js';

const e2e = e2eSession();

describe('the Settings page while another process saves settings', () => {
  it('shows a value `hark settings set` saved, without a reload, and keeps an edit not yet saved', async () => {
    const folders = e2eFolders();
    e2e.server = await startHark(folders);
    e2e.hark = await openHark(e2e.browser, e2e.server.url);
    const { page } = e2e.hark;
    await page.getByRole('tab', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Settings' });
    const keep = form.getByLabel(/^Keep completed tasks/);
    await expect.poll(() => keep.inputValue()).toBe('30');
    // The person starts an edit and has not saved it yet.
    await form.getByLabel('When you record').selectOption('never');

    const saved = await runCli(['settings', 'set', 'keep_completed_days', '7'], {
      HARK_NOTES_DIR: folders.notes,
      HARK_DATA_DIR: folders.data,
    });
    expect(saved.code, saved.stderr).toBe(0);

    await expect.poll(() => keep.inputValue()).toBe('7');
    expect(await form.getByLabel('When you record').inputValue()).toBe('never');
    // Only the edit is left to save: the saved value is not offered again.
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect
      .poll(async () => {
        const answer = await fetch(`${e2e.server?.url}/api/settings`, { headers: e2e.server?.authHeaders });
        const { settings } = (await answer.json()) as {
          settings: Record<string, { value: unknown }>;
        };
        return [settings.keep_completed_days?.value, settings.preempt?.value];
      })
      .toEqual([7, 'never']);
  }, 90_000);
});
