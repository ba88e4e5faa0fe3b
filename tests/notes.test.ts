import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskJson, TranscriptionJson } from '../src/core/json.js';
import { multipart, wavBuffer } from './helpers/multipart.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';

async function drained(t: TestApp) {
  const worker = t.app.worker;
  if (!worker) return;
  const idle = worker.nextIdle();
  worker.wake();
  await idle;
}

async function list(t: TestApp, query = ''): Promise<TranscriptionJson[]> {
  const response = await t.request({ url: `/api/transcriptions${query}` });
  expect(response.statusCode).toBe(200);
  return (response.json() as { transcriptions: TranscriptionJson[] }).transcriptions;
}

async function only(t: TestApp): Promise<TranscriptionJson> {
  const [note] = await list(t);
  if (!note) throw new Error('expected one note');
  return note;
}

const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe('notes over HTTP (issue 11)', () => {
  it('shows title, recorded time, folder and origin in plain words', async () => {
    const t = await startTestApp({
      files: { '2024-05-05/071500-voice-note.wav': { text: 'morning', duration: 3 } },
    });
    await drained(t);
    expect(await only(t)).toMatchObject({
      title: '071500-voice-note',
      recorded_at: local(2024, 5, 5, 7, 15),
      folder: '2024-05-05',
      origin: 'found',
      origin_label: 'Found in your notes folder',
      duration_seconds: 3,
      audio_missing: false,
      edited: false,
      edited_at: null,
      trashed_at: null,
      alternative_text: null,
    });
  });

  it('PATCH renames and edits: marked edited, sidecar rewritten, search sees it; bad edits are 4xx', async () => {
    const t = await startTestApp({ files: { 'walk.wav': { text: 'first words' } } });
    await drained(t);
    const note = await only(t);
    expect(readFileSync(join(t.notes, 'walk.txt'), 'utf8')).toBe('first words\n');
    const patch = (body: unknown, id = note.id) =>
      t.request({ method: 'PATCH', url: `/api/transcriptions/${id}`, payload: body as object });
    const renamed = await patch({ title: 'Evening walk' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ title: 'Evening walk', edited: false });
    const edited = await patch({ segments: [{ start: 0, end: 1, text: 'corrected words' }] });
    expect(edited.json()).toMatchObject({
      transcription_text: 'corrected words',
      edited: true,
      segments: [{ start: 0, end: 1, text: 'corrected words' }],
    });
    expect((edited.json() as TranscriptionJson).edited_at).toBeTypeOf('number');
    expect(readFileSync(join(t.notes, 'walk.txt'), 'utf8')).toBe('corrected words\n');
    expect((await list(t, '?q=corrected')).map((n) => n.id)).toEqual([note.id]);
    expect((await list(t, '?q=evening')).map((n) => n.id)).toEqual([note.id]);
    expect(await list(t, '?q=first')).toEqual([]);

    const bad = await patch({ title: '   ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', message: 'title must not be empty' });
    expect((await patch({ segments: [{ start: 2, end: 1, text: 'x' }] })).statusCode).toBe(400);
    expect((await patch({ colour: 'red' })).statusCode).toBe(400);
    expect((await patch({ title: 'x' }, '0'.repeat(20))).statusCode).toBe(404);

    // A sidecar the user changed since is theirs: kept, the edit stays in Hark.
    writeFileSync(join(t.notes, 'walk.txt'), 'my own notes\n');
    await patch({ text: 'third version' });
    expect(readFileSync(join(t.notes, 'walk.txt'), 'utf8')).toBe('my own notes\n');
  });

  it('DELETE moves note, audio and sidecar to the trash; restore puts them back, or says why not', async () => {
    const t = await startTestApp({ files: { 'Ideas/bin me.wav': { text: 'rubbish' } } });
    await drained(t);
    const note = await only(t);
    const trashed = await t.request({ method: 'DELETE', url: `/api/transcriptions/${note.id}` });
    expect(trashed.statusCode).toBe(200);
    expect((trashed.json() as TranscriptionJson).trashed_at).toBeTypeOf('number');
    expect(existsSync(join(t.notes, 'Ideas/bin me.wav'))).toBe(false);
    expect(existsSync(join(t.notes, 'Ideas/bin me.txt'))).toBe(false);
    expect(existsSync(join(t.data, 'trash', note.id, 'bin me.wav'))).toBe(true);
    expect(await list(t)).toEqual([]);
    expect(await list(t, '?q=rubbish')).toEqual([]);
    expect((await list(t, '?trashed=1')).map((n) => n.id)).toEqual([note.id]);
    expect((await t.request({ url: `/api/transcriptions/${note.id}/audio` })).statusCode).toBe(404);
    // Its place in the folder is not an orphan: a rescan queues nothing.
    expect((await t.app.services.scanner.scan()).queued).toBe(0);
    expect((await t.request({ method: 'DELETE', url: `/api/transcriptions/${note.id}` })).statusCode).toBe(
      409,
    );

    // Another file has taken its place: refused, with a message, nothing moved.
    writeFileSync(join(t.notes, 'Ideas/bin me.wav'), 'someone else');
    const refused = await t.request({ method: 'POST', url: `/api/transcriptions/${note.id}/restore` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: 'invalid_state',
      message: expect.stringContaining('is taken'),
    });
    expect(existsSync(join(t.data, 'trash', note.id, 'bin me.wav'))).toBe(true);

    rmSync(join(t.notes, 'Ideas/bin me.wav'));
    const restored = await t.request({ method: 'POST', url: `/api/transcriptions/${note.id}/restore` });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ trashed_at: null, transcription_text: 'rubbish' });
    expect(readFileSync(join(t.notes, 'Ideas/bin me.txt'), 'utf8')).toBe('rubbish\n');
    expect(existsSync(join(t.notes, 'Ideas/bin me.wav'))).toBe(true);
    expect(existsSync(join(t.data, 'trash', note.id))).toBe(false);
    expect((await list(t, '?q=rubbish')).map((n) => n.id)).toEqual([note.id]);
    expect((await t.request({ url: `/api/transcriptions/${note.id}/audio` })).statusCode).toBe(200);
  });

  it('refuses an import whose content is already a note (409 duplicate_note), unless allow_duplicate=1', async () => {
    const t = await startTestApp();
    const wav = wavBuffer(0.5);
    const lastModified = local(2023, 3, 4, 9, 30);
    const send = (extra: { field: string; content: string }[] = []) => {
      const { payload, headers } = multipart([
        { field: 'last_modified', content: String(lastModified) },
        ...extra,
        { field: 'file', filename: 'Standup.wav', contentType: 'audio/wav', content: wav },
      ]);
      return t.request({ method: 'POST', url: '/api/imports', payload, headers });
    };
    const first = await send();
    expect(first.statusCode).toBe(201);
    const task = (first.json() as { tasks: TaskJson[] }).tasks[0] as TaskJson;
    const created = (await t.request({ url: `/api/transcriptions/${task.transcription_id}` })).json();
    expect(created).toMatchObject({
      title: 'Standup',
      origin: 'imported',
      origin_label: 'Imported',
      recorded_at: lastModified,
    });

    const again = await send();
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { kind: 'duplicate_note', existing_id: task.transcription_id },
      message: expect.stringContaining('already a note'),
    });
    expect(existsSync(join(t.notes, 'imports/Standup (2).wav'))).toBe(false);

    const anyway = await send([{ field: 'allow_duplicate', content: '1' }]);
    expect(anyway.statusCode).toBe(201);
    expect(existsSync(join(t.notes, 'imports/Standup (2).wav'))).toBe(true);
  });

  it('marks a note whose audio is gone as audio missing, keeping its transcript', async () => {
    const t = await startTestApp({
      files: { 'gone.wav': { text: 'still here' }, 'played.wav': { text: 'played' } },
    });
    await drained(t);
    const [gone, played] = ['gone.wav', 'played.wav'].map((path) => join(t.notes, path));
    rmSync(gone as string);
    rmSync(played as string);
    const notes = await list(t);
    const playedNote = notes.find((n) => n.audio_path === 'played.wav') as TranscriptionJson;
    expect((await t.request({ url: `/api/transcriptions/${playedNote.id}/audio` })).statusCode).toBe(404);
    expect((await t.request({ url: `/api/transcriptions/${playedNote.id}` })).json()).toMatchObject({
      audio_missing: true,
    });
    const scan = await t.app.services.scanner.scan();
    expect(scan).toMatchObject({ missing: 1, queued: 0 });
    expect((await list(t)).map((n) => [n.audio_path, n.audio_missing, n.transcription_text]).sort()).toEqual([
      ['gone.wav', true, 'still here'],
      ['played.wav', true, 'played'],
    ]);
  });

  it('a transcribed file moved or renamed inside the folder keeps its note and is not queued again', async () => {
    const t = await startTestApp({ files: { 'inbox/idea.wav': { text: 'a moving idea' } } });
    await drained(t);
    const note = await only(t);
    mkdirSync(join(t.notes, 'filed'));
    renameSync(join(t.notes, 'inbox/idea.wav'), join(t.notes, 'filed/renamed idea.wav'));
    const scan = await t.app.services.scanner.scan();
    expect(scan).toMatchObject({ moved: 1, queued: 0 });
    const moved = await only(t);
    expect(moved).toMatchObject({
      id: note.id,
      audio_path: 'filed/renamed idea.wav',
      folder: 'filed',
      transcription_text: 'a moving idea',
      audio_missing: false,
      sidecar_path: 'filed/renamed idea.txt',
    });
    // Hark's sidecar moved with it.
    expect(readFileSync(join(t.notes, 'filed/renamed idea.txt'), 'utf8')).toBe('a moving idea\n');
    expect(existsSync(join(t.notes, 'inbox/idea.txt'))).toBe(false);
    const queue = (await t.request({ url: '/api/queue' })).json() as {
      pending_count: number;
      completed_count: number;
    };
    expect(queue).toMatchObject({ pending_count: 0, completed_count: 1 });
  });
});
