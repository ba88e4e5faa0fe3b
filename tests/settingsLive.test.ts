import { afterEach, describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../src/core/json.js';
import type { EffectiveSettings } from '../src/core/settings.js';
import { type HarkServer, startHark } from './helpers/harkServer.js';
import { runCli } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

let server: HarkServer | null = null;

afterEach(async () => {
  await server?.stop();
  server = null;
});

const pad = (n: number) => String(n).padStart(2, '0');

/** A one-hour run window that starts two hours from now (local time): now is outside it. */
function windowLater(): string {
  const start = (new Date().getHours() + 2) % 24;
  return `${pad(start)}:00-${pad((start + 1) % 24)}:00`;
}

describe('settings changed by another process', () => {
  it('`hark settings set` in a second process applies to a running hark start at once', async () => {
    const dir = tempDir();
    const dirs = { notes: `${dir}/notes`, data: `${dir}/data` };
    server = await startHark(dirs);
    const { url, authHeaders } = server;
    const get = async <T>(path: string) =>
      (await (await fetch(`${url}${path}`, { headers: authHeaders })).json()) as T;
    const env = { HARK_NOTES_DIR: dirs.notes, HARK_DATA_DIR: dirs.data };

    const kept = await runCli(['settings', 'set', 'keep_completed_days', '7'], env);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/keep_completed_days\s+7\s+saved/);
    await eventually(
      async () =>
        (await get<{ settings: EffectiveSettings }>('/api/settings')).settings.keep_completed_days.value ===
        7,
      'the running Hark to read the new value',
    );

    // A listener hears it too: a run window that excludes now pauses the queue, with the reason.
    const window = windowLater();
    const scheduled = await runCli(['settings', 'set', 'schedule', JSON.stringify([window])], env);
    expect(scheduled.code, scheduled.stderr).toBe(0);
    const queue = await eventually(async () => {
      const q = await get<QueueStatusJson>('/api/queue');
      return q.is_paused && q.pause_reason?.startsWith('outside the schedule') && q;
    }, 'the schedule to pause the queue');
    expect(queue.pause_reason).toBe(`outside the schedule, next run at ${window.slice(0, 5)}`);

    // A bad value is refused by the CLI with a sentence, and nothing changes.
    const bad = await runCli(['settings', 'set', 'keep_completed_days', '"soon"'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/keep_completed_days/);
  }, 60_000);
});
