import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { recordingLocation } from '../src/services/recordingFlow.js';
import { probeAudio } from '../src/transcription/ffmpeg.js';
import { authHeaders } from './helpers/auth.js';
import { waitForEngineLog } from './helpers/engineLog.js';
import { untilHarkServes } from './helpers/harkReady.js';
import { multipart, wavBuffer } from './helpers/multipart.js';
import { CLI, exited, spawnTs } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

function setup(chunkMs = '1') {
  const dir = tempDir();
  const notes = join(dir, 'notes');
  const data = join(dir, 'data');
  mkdirSync(notes);
  const log = join(dir, 'engine.log');
  const env = { ...process.env, HARK_ENGINE_LOG: log, HARK_FAKE_CHUNK_MS: chunkMs, HARK_PORT: '0' };
  const start = (...extra: string[]) =>
    spawnTs(CLI, ['start', '--notes', notes, '--data', data, '--engine', 'fake', '--no-watch', ...extra], {
      env,
    });
  const today = join(notes, recordingLocation(new Date()).folder);
  return { dir, notes, data, log, start, today };
}

async function post(url: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers });
  return response.json();
}

describe('a crash in the middle of a recording', () => {
  it('keeps a half-uploaded recording under its proper name and transcribes it first after the restart', async () => {
    const s = setup();
    const app = s.start();
    const appExit = exited(app);
    const url = await untilHarkServes(app, s.data);
    expect(await post(`${url}/api/recordings/start`, authHeaders(s.data))).toEqual({
      recording_state: 'Recording',
    });

    // Send the headers and part of the recording, then the app dies.
    const body = multipart([
      { field: 'file', filename: 'blob', contentType: 'audio/wav', content: wavBuffer(5) },
    ]);
    const upload = request(`${url}/api/recordings`, {
      method: 'POST',
      headers: { ...body.headers, ...authHeaders(s.data), 'content-length': String(body.payload.length) },
    });
    upload.on('error', () => {});
    upload.write(body.payload.subarray(0, 60_000));
    const partial = await eventually(
      () =>
        existsSync(s.today) &&
        readdirSync(s.today).find((name) => name.endsWith('.part') && statSync(join(s.today, name)).size > 0),
      'the upload to reach the disk',
    );
    app.kill('SIGKILL');
    await appExit;
    upload.destroy();

    const restart = await exited(s.start('--exit-when-idle'));
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stderr).toMatch(/Hark stopped while recording; state reset to Idle/);
    expect(restart.stderr).toMatch(/recovered 1 recording\(s\): \d{4}-\d\d-\d\d\/\d{6}-voice-note\.wav/);
    const files = readdirSync(s.today);
    expect(files.filter((name) => name.endsWith('.part'))).toEqual([]);
    const saved = files.find((name) => /^\d{6}-voice-note\.wav$/.test(name));
    expect(saved, `files: ${files.join(', ')} (partial was ${partial})`).toBeDefined();
    // What arrived was made a whole wav (its header no longer declares the 5 s that never came).
    const kept = Number(
      /finished a recording cut off mid-upload: ([\d.]+) s of audio kept/.exec(restart.stderr)?.[1],
    );
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(5);
    expect((await probeAudio(join(s.today, saved ?? ''))).duration).toBeCloseTo(kept, 1);

    const store = SqliteStore.open(join(s.data, 'hark.db'));
    const [recording] = (await store.transcriptions.listTranscriptions({ limit: 5 })).transcriptions;
    expect(recording).toMatchObject({ source: 'recording', status: 'complete' });
    const [task] = (await store.tasks.listTasks({ limit: 5 })).tasks;
    expect(task).toMatchObject({ priority: 2, status: 'completed', taskType: 'transcribe_recording' });
    expect(await store.settings.getSetting('recording_state')).toBe('Idle');
    await store.close();
  }, 60_000);

  it('queues a recording whose foreground transcription was cut short, at High priority', async () => {
    const s = setup('3000');
    const app = s.start();
    const appExit = exited(app);
    const url = await untilHarkServes(app, s.data);
    await post(`${url}/api/recordings/start`, authHeaders(s.data));
    const form = new FormData();
    form.append('file', new Blob([wavBuffer(1)], { type: 'audio/wav' }), 'blob');
    const uploading = fetch(`${url}/api/recordings`, {
      method: 'POST',
      headers: authHeaders(s.data),
      body: form,
    }).catch(() => null);
    await waitForEngineLog(s.log, (e) => e.event === 'start' && /voice-note\.wav$/.test(e.file));
    app.kill('SIGKILL');
    await appExit;
    await uploading;

    const restart = await exited(s.start('--exit-when-idle'));
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stderr).toMatch(/Hark stopped while transcribing a recording; state reset to Idle/);
    const store = SqliteStore.open(join(s.data, 'hark.db'));
    const [recording] = (await store.transcriptions.listTranscriptions({ limit: 5 })).transcriptions;
    expect(recording).toMatchObject({ source: 'recording', status: 'complete' });
    expect((await store.tasks.listTasks({ limit: 5 })).tasks[0]).toMatchObject({
      priority: 2,
      status: 'completed',
      taskType: 'transcribe_recording',
    });
    await store.close();
  }, 60_000);
});
