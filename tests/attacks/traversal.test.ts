import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskJson, TranscriptionJson } from '../../src/core/json.js';
import { fakeAudio } from '../../src/transcription/fakeEngine.js';
import { startHark } from '../helpers/harkServer.js';
import { wavBuffer } from '../helpers/multipart.js';
import { runCli } from '../helpers/processes.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

/** Every file under `root`, as '/'-separated relative paths. */
function filesUnder(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(root, path) : [path];
  });
}

/** A multipart body whose Content-Disposition lines are written exactly as given. */
function rawMultipart(
  dispositions: string[],
  content: Buffer,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----hark${randomBytes(6).toString('hex')}`;
  // Every file has the same content: each says it may duplicate a note, or all but the first are refused as duplicates.
  const parts = dispositions.map((disposition) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="allow_duplicate"\r\n\r\n1\r\n`,
        'latin1',
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: audio/wav\r\n\r\n`,
        'latin1',
      ),
      content,
      Buffer.from('\r\n'),
    ]),
  );
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const listTranscriptions = async (t: TestApp) =>
  (
    (await t.request({ url: '/api/transcriptions?limit=200' })).json() as {
      transcriptions: TranscriptionJson[];
    }
  ).transcriptions;

describe('path traversal in import file names', () => {
  it('keeps every uploaded file in imports/, whatever its name says', async () => {
    const t = await startTestApp();
    await t.request({ method: 'POST', url: '/api/queue/pause' });
    const escapee = `hark-escape-${randomBytes(4).toString('hex')}`;
    const names = [
      `../${escapee}.wav`,
      `../../../../../../../../tmp/${escapee}.wav`,
      `/tmp/${escapee}.wav`,
      `${tmpdir()}/${escapee}.wav`,
      `..\\..\\${escapee}.wav`,
      `C:\\Windows\\${escapee}.wav`,
      `%2e%2e%2f%2e%2e%2f${escapee}.wav`,
      `..%2F..%2F${escapee}.wav`,
      `imports/../../${escapee}.wav`,
      `....//....//${escapee}.wav`,
      `a\u0000/../../${escapee}.wav`,
      `${escapee}\u0000.wav`,
      `.${escapee}.wav`,
      '..',
      '.',
      '/',
      `\u2025/${escapee}.wav`,
      `${escapee}.wav/..`,
    ];
    const dispositions = [
      ...names.map((name) => `form-data; name="file"; filename="${name.replace(/"/g, '%22')}"`),
      // RFC 5987 names, which the parser decodes itself.
      `form-data; name="file"; filename*=UTF-8''..%2F..%2F${escapee}.wav`,
      `form-data; name="file"; filename*=UTF-8''%2Ftmp%2F${escapee}.wav`,
      `form-data; name="file"; filename*=UTF-8''..%00%2F${escapee}.wav`,
    ];
    const answer = await t.request({
      method: 'POST',
      url: '/api/imports',
      ...rawMultipart(dispositions, wavBuffer(0.1)),
    });
    expect(answer.statusCode).toBe(201);
    const { tasks, rejected } = answer.json() as { tasks: TaskJson[]; rejected: unknown[] };
    expect(rejected).toEqual([]);
    expect(tasks).toHaveLength(dispositions.length);
    for (const task of tasks) {
      expect(task.audio_path).toMatch(/^imports\/[^/\\]+$/);
      expect(task.audio_path).not.toContain('\0');
      expect(task.audio_path).not.toMatch(/^imports\/\./);
      expect(task.original_name ?? '').not.toMatch(/[/\\]/);
      expect(task.original_name ?? '').not.toContain('\0');
    }
    // On disk: the same files, all in imports/, and nothing anywhere else.
    const files = filesUnder(t.dir).filter((file) => !file.startsWith('data/'));
    expect(files.sort()).toEqual(tasks.map((task) => `notes/${task.audio_path}`).sort());
    expect(existsSync(join(tmpdir(), `${escapee}.wav`))).toBe(false);
    expect(existsSync(join(t.dir, `${escapee}.wav`))).toBe(false);
  });
});

describe('path traversal in transcribe-now paths', () => {
  it('transcribes files in the notes folder by path and refuses every path that leads out', async () => {
    const t = await startTestApp();
    const outside = join(t.dir, 'outside');
    mkdirSync(outside);
    const secret = join(outside, 'secret.wav');
    writeFileSync(secret, fakeAudio({ text: 'top secret words' }));
    symlinkSync(secret, join(t.notes, 'link.wav'));
    symlinkSync(outside, join(t.notes, 'linked'));
    t.addFile('inside.wav', { text: 'inside words' });
    t.addFile('sub/deeper.wav', { text: 'deeper words' });
    const before = await listTranscriptions(t);

    const refusals: [string, number][] = [
      ['../outside/secret.wav', 403],
      [secret, 403],
      ['imports/../../outside/secret.wav', 403],
      ['sub/../../outside/secret.wav', 403],
      ['/etc/passwd', 403],
      ['/', 403],
      ['.', 403],
      ['..', 403],
      ['link.wav', 403], // a symbolic link out of the folder
      ['linked/secret.wav', 403], // a linked folder outside it
      ['%2e%2e/outside/secret.wav', 404], // taken literally: no such file in the folder
      ['..%2Foutside%2Fsecret.wav', 404],
      ['..\\outside\\secret.wav', 404],
      ['inside.wav\u0000../outside/secret.wav', 400],
      ['', 400],
    ];
    for (const [path, status] of refusals) {
      const answer = await t.request({ method: 'POST', url: '/api/transcribe-now', payload: { path } });
      expect(answer.statusCode, JSON.stringify(path)).toBe(status);
      expect((answer.json() as { message: string }).message.length).toBeGreaterThan(0);
    }
    const after = await listTranscriptions(t);
    expect(after.map((x) => x.id)).toEqual(before.map((x) => x.id));
    expect(after.some((x) => (x.transcription_text ?? '').includes('secret'))).toBe(false);
    // Nothing of the secret was copied in.
    const copies = filesUnder(t.notes).filter(
      (file) => !file.startsWith('link') && readFileSync(join(t.notes, file)).equals(readFileSync(secret)),
    );
    expect(copies).toEqual([]);

    // The paths that stay inside work, relative or absolute.
    for (const [path, text] of [
      ['inside.wav', 'inside words'],
      [join(t.notes, 'sub', 'deeper.wav'), 'deeper words'],
    ]) {
      const answer = await t.request({ method: 'POST', url: '/api/transcribe-now', payload: { path } });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ transcription: { transcription_text: text }, error: null });
    }
  });

  it('takes a file from elsewhere only when it is sent, and keeps it in imports/', async () => {
    const t = await startTestApp();
    const upload = rawMultipart(
      ['form-data; name="file"; filename="../../elsewhere.wav"'],
      wavBuffer(0.2), // sent files are checked to be audio, as imports are
    );
    const answer = await t.request({ method: 'POST', url: '/api/transcribe-now/upload', ...upload });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({
      audio_path: 'imports/elsewhere.wav',
      transcription: { transcription_text: 'transcript of elsewhere.wav' }, // the fake engine's words for real audio
    });
    const text = rawMultipart(
      ['form-data; name="file"; filename="notes.wav"'],
      Buffer.from('not audio at all'),
    );
    expect((await t.request({ method: 'POST', url: '/api/transcribe-now/upload', ...text })).statusCode).toBe(
      415,
    );
    expect(filesUnder(t.notes)).toEqual(['imports/elsewhere.txt', 'imports/elsewhere.wav']);
  });

  it('`hark transcribe-now` still takes a file from anywhere while the app runs: it sends it', async () => {
    const t = await startTestApp({ engine: null }); // only for its folders
    await t.app.stop();
    const outside = join(t.dir, 'elsewhere.wav');
    writeFileSync(outside, wavBuffer(0.2));
    writeFileSync(join(t.notes, 'here.wav'), fakeAudio({ text: 'words from here' }));
    const hark = await startHark({ notes: t.notes, data: t.data });
    try {
      const env = { HARK_NOTES_DIR: t.notes, HARK_DATA_DIR: t.data };
      const sent = await runCli(['transcribe-now', outside, '--json'], env);
      expect(sent.code, sent.stderr).toBe(0);
      expect(JSON.parse(sent.stdout)).toMatchObject({
        audio_path: 'imports/elsewhere.wav',
        transcription: { transcription_text: 'transcript of elsewhere.wav' },
      });
      const here = await runCli(['transcribe-now', join(t.notes, 'here.wav'), '--json'], env);
      expect(here.code, here.stderr).toBe(0);
      expect(JSON.parse(here.stdout)).toMatchObject({ audio_path: 'here.wav' });
    } finally {
      await hark.stop();
    }
  }, 60_000);
});

describe('path traversal in URLs', () => {
  it('serves no file from outside the web UI folder', async () => {
    const t = await startTestApp();
    const packageJson = readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8');
    for (const url of [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/..%5c..%5cpackage.json',
      '/%252e%252e/package.json',
      '/..%00/package.json',
      '/....//....//package.json',
      '/api/transcriptions/..%2f..%2fpackage.json/audio',
      '/api/transcriptions/%2e%2e/audio',
    ]) {
      const answer = await t.request({ url });
      expect(answer.statusCode, url).toBeLessThan(500);
      expect(answer.body, url).not.toContain('"name": "hark"');
      expect(answer.body.length === packageJson.length && answer.body === packageJson, url).toBe(false);
    }
  });
});
