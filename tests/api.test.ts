import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TaskJson, TranscriptionJson } from '../src/core/json.js';
import { multipart, wavBuffer } from './helpers/multipart.js';
import { startTestApp } from './helpers/testApp.js';

async function drained(t: Awaited<ReturnType<typeof startTestApp>>) {
  const worker = t.app.worker;
  if (!worker) return;
  const idle = worker.nextIdle();
  worker.wake();
  await idle;
}

describe('HTTP API', () => {
  it('GET /api/queue returns the QueueStatus, pages with a cursor and filters by status', async () => {
    const t = await startTestApp({
      files: {
        'a.wav': { text: 'a' },
        'b.wav': { fail: 'unreadable' },
        'c.wav': { text: 'c' },
      },
    });
    await drained(t);
    const all = (await t.request({ url: '/api/queue?limit=2' })).json() as QueueStatusJson;
    expect(all).toMatchObject({
      is_paused: false,
      recording_state: 'Idle',
      active_task: null,
      pending_count: 0,
      processing_count: 0,
      completed_count: 2,
      failed_count: 1,
    });
    expect(all.tasks).toHaveLength(2);
    const rest = (
      await t.request({ url: `/api/queue?limit=2&cursor=${all.next_cursor}` })
    ).json() as QueueStatusJson;
    expect(rest.tasks).toHaveLength(1);
    expect(rest.next_cursor).toBeNull();
    const failed = (await t.request({ url: '/api/queue?status=failed' })).json() as QueueStatusJson;
    expect(failed.tasks.map((task) => [task.audio_path, task.error_kind])).toEqual([
      ['b.wav', 'unreadable_audio'],
    ]);
    const keys = Object.keys(failed.tasks[0] ?? {});
    for (const field of [
      'id',
      'transcription_id',
      'task_type',
      'priority',
      'status',
      'progress',
      'retry_count',
      'max_retries',
      'preempted_count',
      'error_kind',
      'error_message',
      'error_summary',
      'error_next_step',
      'retryable',
      'next_attempt_at',
      'audio_path',
      'original_name',
      'created_at',
      'started_at',
      'completed_at',
    ]) {
      expect(keys).toContain(field);
    }
  });

  it('answers bad queries with a 400 and a message', async () => {
    const t = await startTestApp();
    for (const url of [
      '/api/queue?status=sleeping',
      '/api/queue?limit=0',
      '/api/queue?limit=abc',
      '/api/queue?limit=100000',
      '/api/queue?cursor=%3Cscript%3E',
      '/api/queue?cursor=bm90IGEgY3Vyc29y',
      '/api/queue?bogus=1',
      '/api/transcriptions?limit=-1',
      '/api/transcriptions/not-an-id',
      '/api/transcriptions/0123456789abcdef0123/export?format=docx',
      '/api/transcriptions/0123456789abcdef0123/export',
    ]) {
      const response = await t.request({ url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ error: 'bad_request', message: expect.any(String) });
    }
    for (const url of [
      '/api/tasks/abc/retry',
      '/api/tasks/-1/cancel',
      '/api/tasks/1.5/move-to-front',
      '/api/tasks/99999999999999999999/retry',
    ]) {
      expect((await t.request({ method: 'POST', url })).statusCode, url).toBe(400);
    }
  });

  it('pauses and resumes the queue, and says so in the status', async () => {
    const t = await startTestApp();
    expect((await t.request({ method: 'POST', url: '/api/queue/pause' })).json()).toEqual({
      is_paused: true,
      pause_reason: 'user',
    });
    expect(((await t.request({ url: '/api/queue' })).json() as QueueStatusJson).is_paused).toBe(true);
    expect((await t.request({ method: 'POST', url: '/api/queue/resume' })).json()).toEqual({
      is_paused: false,
      pause_reason: null,
    });
  });

  it('retries, cancels, reorders and clears tasks, with 404 and 409 where they do not apply', async () => {
    const t = await startTestApp({ files: { 'bad.wav': { fail: 'unreadable' }, 'ok.wav': { text: 'ok' } } });
    await drained(t);
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const failed = ((await t.request({ url: '/api/queue?status=failed' })).json() as QueueStatusJson)
      .tasks[0] as TaskJson;
    const retried = await t.request({ method: 'POST', url: `/api/tasks/${failed.id}/retry` });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id: failed.id, status: 'pending', error_message: null });
    expect((await t.request({ method: 'POST', url: `/api/tasks/${failed.id}/retry` })).statusCode).toBe(409);
    expect(
      (await t.request({ method: 'POST', url: `/api/tasks/${failed.id}/move-to-front` })).json(),
    ).toMatchObject({ status: 'pending' });
    expect((await t.request({ method: 'POST', url: `/api/tasks/${failed.id}/cancel` })).json()).toMatchObject(
      { status: 'cancelled' },
    );
    const again = await t.request({ method: 'POST', url: `/api/tasks/${failed.id}/cancel` });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: 'invalid_state',
      message: `Task ${failed.id} is cancelled; only pending or running tasks can be cancelled`,
    });
    expect((await t.request({ method: 'POST', url: '/api/tasks/4242/retry' })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/api/tasks/retry-failed' })).json()).toEqual({
      retried: 0,
    });
    expect((await t.request({ method: 'POST', url: '/api/tasks/clear-completed' })).json()).toEqual({
      cleared: 1,
    });
    expect(((await t.request({ url: '/api/queue' })).json() as QueueStatusJson).completed_count).toBe(0);
  });

  it('says what a failure means, and deletes finished tasks only (DELETE /api/tasks/:id, clear-cancelled)', async () => {
    const t = await startTestApp({
      files: { 'bad.wav': { fail: 'unreadable' }, 'ok.wav': { text: 'ok' }, 'later.wav': { text: 'later' } },
    });
    await drained(t);
    const failed = ((await t.request({ url: '/api/queue?status=failed' })).json() as QueueStatusJson)
      .tasks[0] as TaskJson;
    expect(failed).toMatchObject({
      error_kind: 'unreadable_audio',
      error_message: 'Invalid data found when processing input (fake)',
      error_summary: "This file isn't audio we can read — it may be damaged.",
      retryable: false,
      next_attempt_at: null,
    });
    expect(failed.error_next_step).toMatch(/remove this task/);
    const completed = ((await t.request({ url: '/api/queue?status=completed' })).json() as QueueStatusJson)
      .tasks;
    expect(completed.map((task) => [task.retryable, task.error_summary])).toEqual([
      [false, null],
      [false, null],
    ]);

    // A live task is refused with a sentence; once cancelled, clear-cancelled removes it.
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    expect((await t.request({ method: 'POST', url: `/api/tasks/${failed.id}/retry` })).statusCode).toBe(200);
    const live = await t.request({ method: 'DELETE', url: `/api/tasks/${failed.id}` });
    expect(live.statusCode).toBe(409);
    expect(live.json()).toEqual({
      error: 'invalid_state',
      message: `Task ${failed.id} is pending; cancel it first, only finished tasks can be removed`,
    });
    await t.request({ method: 'POST', url: `/api/tasks/${failed.id}/cancel` });
    expect((await t.request({ method: 'POST', url: '/api/tasks/clear-cancelled' })).json()).toEqual({
      cleared: 1,
    });
    expect((await t.request({ method: 'DELETE', url: `/api/tasks/${failed.id}` })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: '/api/tasks/4242' })).json()).toEqual({
      error: 'not_found',
      message: 'Task 4242 was not found',
    });

    const done = completed[0] as TaskJson;
    const removed = await t.request({ method: 'DELETE', url: `/api/tasks/${done.id}` });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ id: done.id, status: 'completed' });
    expect((await t.request({ url: `/api/transcriptions/${done.transcription_id}` })).statusCode).toBe(200);
    expect((await t.request({ url: '/api/queue' })).json()).toMatchObject({
      completed_count: 1,
      failed_count: 0,
      cancelled_count: 0,
    });
  });

  it('removes selected finished tasks, all or none (POST /api/tasks/remove)', async () => {
    const t = await startTestApp({
      files: { 'bad.wav': { fail: 'unreadable' }, 'ok.wav': { text: 'ok' }, 'two.wav': { text: 'two' } },
    });
    await drained(t);
    const ids = async (status: string) =>
      ((await t.request({ url: `/api/queue?status=${status}` })).json() as QueueStatusJson).tasks.map(
        (x) => x.id,
      );
    const [failed] = await ids('failed');
    const [done] = await ids('completed');
    if (failed === undefined || done === undefined) throw new Error('no finished tasks');

    // A live task among them: refused with a sentence, and nothing removed.
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    await t.request({ method: 'POST', url: `/api/tasks/${failed}/retry` });
    const refused = await t.request({
      method: 'POST',
      url: '/api/tasks/remove',
      payload: { ids: [done, failed] },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      error: 'invalid_state',
      message: `Task ${failed} is pending; cancel it first, only finished tasks can be removed`,
    });
    expect(await ids('completed')).toContain(done);

    // Finished ones go (a cancelled one too); an id with no task is passed over; transcripts stay.
    await t.request({ method: 'POST', url: `/api/tasks/${failed}/cancel` });
    const removed = await t.request({
      method: 'POST',
      url: '/api/tasks/remove',
      payload: { ids: [done, failed, 4242] },
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ removed: 2 });
    expect((await t.request({ url: '/api/queue' })).json()).toMatchObject({
      completed_count: 1,
      cancelled_count: 0,
    });
    for (const payload of [{}, { ids: [] }, { ids: ['x'] }, { ids: [1, 1] }]) {
      expect((await t.request({ method: 'POST', url: '/api/tasks/remove', payload })).statusCode).toBe(400);
    }
  });

  it('cancels every pending task at once (POST /api/tasks/cancel-pending)', async () => {
    const t = await startTestApp();
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const upload = multipart([
      { field: 'file', filename: 'a.wav', content: wavBuffer(0.1) },
      { field: 'file', filename: 'b.wav', content: wavBuffer(0.1) },
    ]);
    expect((await t.request({ method: 'POST', url: '/api/imports', ...upload })).statusCode).toBe(201);
    // Imports may start at once (they come before background work); only the pending ones are cancelled.
    const before = (await t.request({ url: '/api/queue' })).json() as QueueStatusJson;
    expect(before.pending_count).toBeGreaterThan(0);
    const answer = await t.request({ method: 'POST', url: '/api/tasks/cancel-pending' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ cancelled: before.pending_count });
    expect((await t.request({ url: '/api/queue' })).json()).toMatchObject({
      pending_count: 0,
      cancelled_count: before.pending_count,
    });
    expect((await t.request({ method: 'POST', url: '/api/tasks/cancel-pending' })).json()).toEqual({
      cancelled: 0,
    });
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin on state changes (CSRF)', async () => {
    const t = await startTestApp();
    const rebinding = await t.request({ url: '/api/queue', headers: { host: `evil.example:${t.port}` } });
    expect(rebinding.statusCode).toBe(403);
    expect(
      (await t.request({ url: '/api/queue', headers: { host: `localhost:${t.port + 1}` } })).statusCode,
    ).toBe(403);
    for (const host of [`localhost:${t.port}`, `127.0.0.1:${t.port}`, `[::1]:${t.port}`]) {
      expect((await t.request({ url: '/api/health', headers: { host } })).statusCode, host).toBe(200);
    }
    const csrf = await t.request({
      method: 'POST',
      url: '/api/queue/pause',
      headers: { origin: 'https://evil.example' },
    });
    expect(csrf.statusCode).toBe(403);
    expect(csrf.json()).toEqual({ error: 'forbidden', message: 'Cross-site requests are refused' });
    expect(
      (await t.request({ method: 'POST', url: '/api/queue/pause', headers: { origin: 'null' } })).statusCode,
    ).toBe(403);
    const own = await t.request({
      method: 'POST',
      url: '/api/queue/pause',
      headers: { origin: `http://localhost:${t.port}` },
    });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-security-policy']).toContain("default-src 'self'");
    expect(own.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lists, searches, plays and exports transcriptions', async () => {
    const t = await startTestApp({
      files: { 'talk.wav': { text: 'the quick brown fox', duration: 70, chunkSeconds: 30 } },
    });
    await drained(t);
    const list = (await t.request({ url: '/api/transcriptions' })).json() as {
      transcriptions: TranscriptionJson[];
    };
    expect(list.transcriptions).toHaveLength(1);
    const talk = list.transcriptions[0] as TranscriptionJson;
    expect(talk).toMatchObject({
      status: 'complete',
      transcription_text: 'the quick brown fox',
      source: 'imported',
      duration: 70,
    });
    expect(
      ((await t.request({ url: '/api/transcriptions?q=quic' })).json() as { transcriptions: unknown[] })
        .transcriptions,
    ).toHaveLength(1);
    expect(
      ((await t.request({ url: '/api/transcriptions?q=zebra' })).json() as { transcriptions: unknown[] })
        .transcriptions,
    ).toHaveLength(0);
    expect((await t.request({ url: `/api/transcriptions/${talk.id}` })).json()).toMatchObject({
      id: talk.id,
    });
    expect((await t.request({ url: '/api/transcriptions/0123456789abcdef0123' })).statusCode).toBe(404);

    const audio = readFileSync(join(t.notes, 'talk.wav'));
    const range = await t.request({
      url: `/api/transcriptions/${talk.id}/audio`,
      headers: { range: 'bytes=2-9' },
    });
    expect(range.statusCode).toBe(206);
    expect(range.headers['content-range']).toBe(`bytes 2-9/${audio.length}`);
    expect(range.rawPayload).toEqual(audio.subarray(2, 10));
    expect((await t.request({ url: `/api/transcriptions/${talk.id}/audio` })).rawPayload).toEqual(audio);

    const srt = await t.request({ url: `/api/transcriptions/${talk.id}/export?format=srt` });
    expect(srt.headers['content-disposition']).toBe(
      `attachment; filename="talk.srt"; filename*=UTF-8''talk.srt`,
    );
    // 'the quick' is heard in the first 30 s window: a word over 7 s is a cue of its own.
    expect(srt.body).toMatch(
      /^1\n00:00:00,000 --> 00:00:13,333\nthe\n\n2\n00:00:13,333 --> 00:00:30,000\nquick\n/,
    );
    expect((await t.request({ url: `/api/transcriptions/${talk.id}/export?format=vtt` })).body).toMatch(
      /^WEBVTT\n\n00:00:00.000 -->/,
    );
    expect((await t.request({ url: `/api/transcriptions/${talk.id}/export?format=txt` })).body).toBe(
      'the quick brown fox\n',
    );
  });

  it('imports uploaded audio into imports/, never overwriting, at Normal priority with the original name', async () => {
    const t = await startTestApp();
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const wav = wavBuffer(0.5);
    const upload = multipart([
      { field: 'file', filename: 'Team call.wav', contentType: 'audio/wav', content: wav },
      // The same content again is a duplicate note (tests/notes.test.ts) unless asked for.
      { field: 'allow_duplicate', content: '1' },
      { field: 'file', filename: 'Team call.wav', contentType: 'audio/wav', content: wav },
      { field: 'file', filename: '../../../../etc/evil.wav', content: wav },
    ]);
    const response = await t.request({ method: 'POST', url: '/api/imports', ...upload });
    expect(response.statusCode).toBe(201);
    const tasks = (response.json() as { tasks: TaskJson[] }).tasks;
    expect(
      tasks.map((task) => [task.audio_path, task.original_name, task.task_type, task.priority, task.status]),
    ).toEqual([
      ['imports/Team call.wav', 'Team call.wav', 'transcribe_imported', 1, 'pending'],
      ['imports/Team call (2).wav', 'Team call.wav', 'transcribe_imported', 1, 'pending'],
      ['imports/evil.wav', 'evil.wav', 'transcribe_imported', 1, 'pending'],
    ]);
    expect(readdirSync(join(t.notes, 'imports')).sort()).toEqual([
      'Team call (2).wav',
      'Team call.wav',
      'evil.wav',
    ]);
    expect(existsSync(join(t.dir, 'etc'))).toBe(false);
  });

  it('imports the good files of a mixed upload and says which were refused and why', async () => {
    const t = await startTestApp();
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const upload = multipart([
      { field: 'file', filename: 'good.wav', content: wavBuffer(0.2) },
      { field: 'file', filename: 'notes.mp3', content: 'plain text, not audio' },
    ]);
    const response = await t.request({ method: 'POST', url: '/api/imports', ...upload });
    expect(response.statusCode).toBe(201);
    const body = response.json() as { tasks: TaskJson[]; rejected: unknown[] };
    expect(body.tasks.map((task) => task.audio_path)).toEqual(['imports/good.wav']);
    expect(body.rejected).toEqual([
      {
        name: 'notes.mp3',
        error: 'unsupported_media',
        message: 'The file is not audio Hark can read (wav, mp3, m4a, ogg, opus, webm, flac)',
      },
    ]);
  });

  it('refuses to resume when there is no engine to run the queue with', async () => {
    const t = await startTestApp({ engine: null });
    const status = (await t.request({ url: '/api/queue' })).json() as QueueStatusJson;
    expect(status).toMatchObject({ is_paused: true, pause_reason: 'no transcription engine' });
    const resume = await t.request({ method: 'POST', url: '/api/queue/resume' });
    expect(resume.statusCode).toBe(409);
    expect(resume.json()).toMatchObject({
      error: 'invalid_state',
      message: expect.stringMatching(/no transcription engine/),
    });
    expect(((await t.request({ url: '/api/queue' })).json() as QueueStatusJson).is_paused).toBe(true);
  });

  it('serves the web app at / and at its own paths', async () => {
    const t = await startTestApp();
    for (const url of ['/', '/tasks', '/index.html']) {
      const page = await t.request({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toMatch(/^text\/(html|plain)/);
    }
  });

  it('refuses non-audio, oversized and empty imports with a 4xx and keeps nothing', async () => {
    const t = await startTestApp({ env: { HARK_UPLOAD_LIMIT_MB: '1' } });
    const text = multipart([{ field: 'file', filename: 'notes.mp3', content: 'this is not audio at all' }]);
    const refused = await t.request({ method: 'POST', url: '/api/imports', ...text });
    expect(refused.statusCode).toBe(415);
    expect(refused.json()).toMatchObject({ error: 'unsupported_media' });
    const big = multipart([{ field: 'file', filename: 'big.wav', content: wavBuffer(40) }]);
    expect((await t.request({ method: 'POST', url: '/api/imports', ...big })).statusCode).toBe(413);
    const none = multipart([{ field: 'comment', content: 'hello' }]);
    expect((await t.request({ method: 'POST', url: '/api/imports', ...none })).statusCode).toBe(400);
    const wrongField = multipart([{ field: 'upload', filename: 'a.wav', content: wavBuffer(0.1) }]);
    expect((await t.request({ method: 'POST', url: '/api/imports', ...wrongField })).statusCode).toBe(400);
    expect(
      (await t.request({ method: 'POST', url: '/api/imports', payload: { file: 'x' } })).statusCode,
    ).toBe(415);
    const leftovers = existsSync(join(t.notes, 'imports')) ? readdirSync(join(t.notes, 'imports')) : [];
    expect(leftovers).toEqual([]);
    expect(((await t.request({ url: '/api/queue' })).json() as QueueStatusJson).pending_count).toBe(0);
  });

  it('records: start, upload, transcribed in the foreground under notes/YYYY-MM-DD/HHMMSS-voice-note.<ext>', async () => {
    const t = await startTestApp();
    expect((await t.request({ method: 'POST', url: '/api/recordings/start' })).json()).toEqual({
      recording_state: 'Recording',
    });
    const twice = await t.request({ method: 'POST', url: '/api/recordings/start' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toEqual({ error: 'invalid_state', message: 'A recording is already in progress' });
    const upload = multipart([
      { field: 'file', filename: 'blob', contentType: 'audio/wav', content: wavBuffer(1) },
    ]);
    const response = await t.request({ method: 'POST', url: '/api/recordings', ...upload });
    expect(response.statusCode).toBe(201);
    const { transcription, queued_task_id, error } = response.json() as {
      transcription: TranscriptionJson;
      queued_task_id: number | null;
      error: string | null;
    };
    expect([queued_task_id, error]).toEqual([null, null]);
    expect(transcription.audio_path).toMatch(/^\d{4}-\d{2}-\d{2}\/\d{6}-voice-note\.wav$/);
    expect(transcription).toMatchObject({ source: 'recording', status: 'complete', engine: 'fake' });
    expect(existsSync(join(t.notes, transcription.audio_path))).toBe(true);
    expect(existsSync(join(t.notes, transcription.audio_path.replace(/\.wav$/, '.txt')))).toBe(true);
    expect((await t.request({ url: '/api/recordings/state' })).json()).toEqual({ recording_state: 'Idle' });
    const list = (await t.request({ url: '/api/transcriptions' })).json() as {
      transcriptions: TranscriptionJson[];
    };
    expect(list.transcriptions.map((x) => x.id)).toEqual([transcription.id]);
    expect((await t.request({ method: 'POST', url: '/api/recordings/start' })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/recordings/cancel' })).json()).toEqual({
      recording_state: 'Idle',
    });
  });

  it('answers unknown routes with JSON 404s and oversized bodies with 413', async () => {
    const t = await startTestApp();
    expect((await t.request({ url: '/api/nothing' })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: '/api/queue' })).statusCode).toBe(404);
    const huge = await t.request({
      method: 'POST',
      url: '/api/queue/pause',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ reason: 'x'.repeat(200_000) }),
    });
    expect(huge.statusCode).toBe(413);
    const broken = await t.request({
      method: 'POST',
      url: '/api/queue/pause',
      headers: { 'content-type': 'application/json' },
      payload: '{nope',
    });
    expect(broken.statusCode).toBe(400);
  });
});
