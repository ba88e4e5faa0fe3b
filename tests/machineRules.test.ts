import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TranscriptionJson } from '../src/core/json.js';
import { formatMinutes } from '../src/core/schedule.js';
import { localMinuteOf } from '../src/services/scheduleKeeper.js';
import { isAlive } from './helpers/childProcesses.js';
import { multipart, wavBuffer } from './helpers/multipart.js';
import { startTestApp } from './helpers/testApp.js';
import { eventually } from './helpers/wait.js';

/** A run window that opens two hours from now and lasts one: it is closed for the whole test. */
function closedWindow(): { window: string; opens: string } {
  const now = localMinuteOf(Date.now());
  const opens = formatMinutes(now + 120);
  return { window: `${opens}-${formatMinutes(now + 180)}`, opens };
}

describe('the machine rules in a running Hark', () => {
  it('outside the run window background work waits, saying when it runs; recordings are transcribed; Resume runs it now', async () => {
    const { window, opens } = closedWindow();
    const t = await startTestApp({
      files: { 'a.wav': { duration: 2 }, 'b.wav': { duration: 2 } },
      env: { HARK_RUN_WINDOW: window },
    });
    const status = async () => (await t.request({ url: '/api/queue' })).json() as QueueStatusJson;
    expect(await status()).toMatchObject({
      is_paused: true,
      pause_reason: `outside the schedule, next run at ${opens}`,
      pending_count: 2,
      completed_count: 0,
    });

    await t.request({ method: 'POST', url: '/api/recordings/start' });
    const upload = multipart([
      { field: 'file', filename: 'blob', contentType: 'audio/wav', content: wavBuffer(1) },
    ]);
    const recorded = await t.request({ method: 'POST', url: '/api/recordings', ...upload });
    expect(recorded.statusCode).toBe(201);
    expect((recorded.json() as { transcription: TranscriptionJson }).transcription.status).toBe('complete');
    expect((await status()).pending_count).toBe(2);

    expect((await t.request({ method: 'POST', url: '/api/queue/resume' })).statusCode).toBe(200);
    await eventually(
      async () => (await status()).completed_count === 2,
      'both files transcribed after Resume',
    );
  });

  it('holds a sleep lock while it transcribes, and lets go when it stops', async () => {
    const t0 = await startTestApp();
    const inhibitLog = join(t0.dir, 'inhibit.log');
    await t0.app.stop();
    process.env.HARK_TEST_INHIBIT_LOG = inhibitLog;
    try {
      const t = await startTestApp({
        dir: t0.dir,
        files: { 'long.wav': { duration: 600, msPerChunk: 200 } },
        env: {
          HARK_NO_KEEP_AWAKE: '',
          HARK_INHIBIT_COMMAND: new URL('./helpers/fakeInhibit.sh', import.meta.url).pathname,
        },
      });
      await eventually(() => existsSync(inhibitLog), 'the inhibitor started');
      const [pid, ...args] = readFileSync(inhibitLog, 'utf8').trim().split(' ');
      expect(args.join(' ')).toBe(
        '--what=sleep:idle --who=Hark --why=Transcribing voice notes --mode=block cat',
      );
      expect(isAlive(Number(pid))).toBe(true);
      await t.app.stop();
      await eventually(() => !isAlive(Number(pid)), 'the inhibitor gone');
    } finally {
      delete process.env.HARK_TEST_INHIBIT_LOG;
    }
  });
});
