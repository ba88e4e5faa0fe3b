import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as plussubParse } from '@plussub/srt-vtt-parser';
import { parseSync } from 'subtitle';
import { describe, expect, it } from 'vitest';
import type { TranscriptionJson } from '../src/core/json.js';
import { multipart, wavBuffer } from './helpers/multipart.js';
import { runCli } from './helpers/processes.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';

/** 24 words over 20 s, heard in one 30 s window: one segment, too long for one subtitle. */
const SPEECH =
  'notes about the garden: plant the beans in May, water the tomatoes every morning, ' +
  'and ask Sam & Jo about the <old> shed before the rain';

async function drained(t: TestApp) {
  const worker = t.app.worker;
  if (!worker) return;
  const idle = worker.nextIdle();
  worker.wake();
  await idle;
}

async function onlyTranscription(t: TestApp): Promise<TranscriptionJson> {
  const list = (await t.request({ url: '/api/transcriptions' })).json() as {
    transcriptions: TranscriptionJson[];
  };
  expect(list.transcriptions).toHaveLength(1);
  return list.transcriptions[0] as TranscriptionJson;
}

/** Both parsers' reading of a subtitle file, which must agree: [start ms, end ms, text as shown]. */
function cuesOf(content: string): [number, number, string][] {
  const shown = (text: string) =>
    content.startsWith('WEBVTT')
      ? text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
      : text;
  const fromSubtitle = parseSync(content).flatMap((node) =>
    node.type === 'cue'
      ? [[node.data.start, node.data.end, shown(node.data.text)] as [number, number, string]]
      : [],
  );
  const fromPlussub = plussubParse(content).entries.map(
    (entry: { from: number; to: number; text: string }) => [entry.from, entry.to, shown(entry.text)],
  );
  expect(fromPlussub).toEqual(fromSubtitle);
  return fromSubtitle;
}

function expectSubtitleConventions(cues: [number, number, string][], text: string) {
  expect(cues.length).toBeGreaterThan(1);
  let previousEnd = 0;
  for (const [start, end, cueText] of cues) {
    expect(start).toBeGreaterThanOrEqual(previousEnd);
    expect(end - start).toBeLessThanOrEqual(7000);
    const lines = cueText.split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(42);
    previousEnd = end;
  }
  expect(cues.map(([, , cueText]) => cueText.replace(/\n/g, ' ')).join(' ')).toBe(text);
}

describe('GET /api/transcriptions/:id/export', () => {
  it('exports txt, srt, vtt, json and md with their types and names', async () => {
    const t = await startTestApp({
      files: { 'Garden walk.wav': { text: SPEECH, duration: 20, chunkSeconds: 30 } },
    });
    await drained(t);
    const note = await onlyTranscription(t);
    const get = (query: string) => t.request({ url: `/api/transcriptions/${note.id}/export?${query}` });

    const txt = await get('format=txt');
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.body).toBe(`${SPEECH}\n`);

    const srt = await get('format=srt');
    expect(srt.headers['content-type']).toBe('application/x-subrip; charset=utf-8');
    expect(srt.headers['content-disposition']).toContain('filename="Garden walk.srt"');
    expectSubtitleConventions(cuesOf(srt.body), SPEECH);

    const vtt = await get('format=vtt');
    expect(vtt.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(vtt.body.startsWith('WEBVTT\n\n')).toBe(true);
    expectSubtitleConventions(cuesOf(vtt.body), SPEECH);

    const json = await get('format=json');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json()).toMatchObject({
      id: note.id,
      title: 'Garden walk.wav',
      audio_path: 'Garden walk.wav',
      text: SPEECH,
      engine: 'fake',
      segments: [{ start: 0, end: 20, text: SPEECH, words: [] }],
    });

    const md = await get('format=md');
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toContain('filename="Garden walk.md"');
    expect(md.body).toBe(
      [
        '---',
        'title: "Garden walk.wav"',
        `recorded: "${new Date(note.recorded_at).toISOString()}"`,
        'duration: 20',
        'language: "en"',
        'engine: "fake"',
        'source_path: "Garden walk.wav"',
        '---',
        '',
        `[00:00] ${SPEECH}`,
        '',
      ].join('\n'),
    );
    expect((await get('format=md&timestamps=false')).body.endsWith(`---\n\n${SPEECH}\n`)).toBe(true);
    expect((await get('format=pdf')).statusCode).toBe(400);
  });
});

describe('--sidecar-format md', () => {
  it('writes <stem>.md beside the audio, which a fresh database adopts as the transcript', async () => {
    const t = await startTestApp({
      files: { 'walk.wav': { text: SPEECH, duration: 20, chunkSeconds: 30 } },
      env: { HARK_SIDECAR_FORMAT: 'md' },
    });
    await drained(t);
    const note = await onlyTranscription(t);
    expect(note.sidecar_path).toBe('walk.md');
    expect(existsSync(join(t.notes, 'walk.txt'))).toBe(false);
    const md = readFileSync(join(t.notes, 'walk.md'), 'utf8');
    expect(md).toBe((await t.request({ url: `/api/transcriptions/${note.id}/export?format=md` })).body);
    await t.app.stop();

    // The same notes folder with a new database: the audio is adopted with the Markdown's text.
    const again = tempDir();
    cpSync(t.notes, join(again, 'notes'), { recursive: true, preserveTimestamps: true });
    const fresh = await startTestApp({ dir: again });
    await drained(fresh);
    expect(await onlyTranscription(fresh)).toMatchObject({
      status: 'complete',
      audio_path: 'walk.wav',
      sidecar_path: 'walk.md',
      transcription_text: SPEECH,
    });
  });

  it('writes the .md for a recording transcribed in the foreground too', async () => {
    const t = await startTestApp({ env: { HARK_SIDECAR_FORMAT: 'md' } });
    const upload = multipart([
      { field: 'file', filename: 'blob', contentType: 'audio/wav', content: wavBuffer(1) },
    ]);
    const response = await t.request({ method: 'POST', url: '/api/recordings', ...upload });
    expect(response.statusCode).toBe(201);
    const { transcription } = response.json() as { transcription: TranscriptionJson };
    const sidecar = transcription.audio_path.replace(/\.wav$/, '.md');
    expect(transcription).toMatchObject({ status: 'complete', sidecar_path: sidecar });
    expect(existsSync(join(t.notes, transcription.audio_path.replace(/\.wav$/, '.txt')))).toBe(false);
    const md = readFileSync(join(t.notes, sidecar), 'utf8');
    expect(md).toBe(
      (await t.request({ url: `/api/transcriptions/${transcription.id}/export?format=md` })).body,
    );
    expect(md).toContain(`source_path: "${transcription.audio_path}"`);
  });

  it('refuses a format it does not know', async () => {
    await expect(startTestApp({ env: { HARK_SIDECAR_FORMAT: 'docx' } })).rejects.toThrow(
      /--sidecar-format must be txt or md/,
    );
  });
});

describe('hark export', () => {
  it('prints each format, by id or by path', async () => {
    const t = await startTestApp({
      files: { 'notes/walk.wav': { text: SPEECH, duration: 20, chunkSeconds: 30 } },
    });
    await drained(t);
    const note = await onlyTranscription(t);
    const api = async (query: string) =>
      (await t.request({ url: `/api/transcriptions/${note.id}/export?${query}` })).body;
    const expected = {
      txt: await api('format=txt'),
      srt: await api('format=srt'),
      vtt: await api('format=vtt'),
      json: await api('format=json'),
      md: await api('format=md'),
    };
    const plainMd = await api('format=md&timestamps=false');
    await t.app.stop();

    const env = { HARK_NOTES_DIR: t.notes, HARK_DATA_DIR: t.data };
    const cli = (...args: string[]) => runCli(['export', ...args], env);
    const runs = await Promise.all([
      ...Object.keys(expected).map((format) => cli(note.id, '--format', format)),
      cli('notes/walk.wav', '--format', 'md', '--no-timestamps'),
      cli(note.id, '--format', 'docx'),
    ]);
    Object.values(expected).forEach((body, i) => {
      expect(runs[i]?.stderr).toBe('');
      expect(runs[i]?.code).toBe(0);
      expect(runs[i]?.stdout).toBe(body);
    });
    expect(runs[5]?.stdout).toBe(plainMd);
    expect(runs[6]?.code).not.toBe(0);
    expect(runs[6]?.stderr).toMatch(/--format must be one of txt, srt, vtt, json, md/);
    expectSubtitleConventions(cuesOf(runs[1]?.stdout ?? ''), SPEECH);
  }, 60_000);
});
