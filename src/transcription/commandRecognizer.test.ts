import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazySuiteDir } from '../../tests/helpers/audioFiles.js';
import { isAlive, whenGone } from '../../tests/helpers/childProcesses.js';
import { Aborted, BadRequest, EngineFailed, HarkError } from '../core/errors.js';
import { CommandRecognizer } from './commandRecognizer.js';

const folder = lazySuiteDir('hark-command-');
const script = (name: string) => join(folder.path, name);
const node = process.execPath;
const oneSecond = new Float32Array(16000).fill(0.25);

/** Small stand-ins for external recognisers, each showing one behaviour. */
const SCRIPTS: Record<string, string> = {
  // Reports what it was given, so the wav Hark writes can be checked.
  'describe-input.mjs': `
    import { readFileSync } from 'node:fs';
    const wav = readFileSync(process.argv[2]);
    console.log(wav.toString('ascii', 0, 4), wav.readUInt32LE(24), wav.readUInt16LE(22), wav.readUInt32LE(40));`,
  // Like whisper-cli -oj -of {output}: adds its own extension.
  'whisper-json.mjs': `
    import { writeFileSync } from 'node:fs';
    writeFileSync(process.argv[3] + '.json', JSON.stringify({ result: { language: 'en' }, transcription: [
      { timestamps: { from: '00:00:00,000', to: '00:00:00,640' }, offsets: { from: 0, to: 640 }, text: ' Hello' },
      { timestamps: { from: '00:00:00,640', to: '00:00:01,000' }, offsets: { from: 640, to: 1000 }, text: ' world.' },
    ] }));`,
  // Prints its answer and exits, leaving a process behind that still holds stdout open.
  'straggler.mjs': `
    import { spawn } from 'node:child_process';
    import { writeFileSync } from 'node:fs';
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
    child.unref();
    writeFileSync(process.argv[2], JSON.stringify([child.pid]));
    console.log('done');`,
  'srt-stdout.mjs': `console.log('1\\n00:00:00,100 --> 00:00:00,900\\nHi there\\n');`,
  'fail.mjs': `console.error('loading model'); console.error('error: cannot open model.bin'); process.exit(3);`,
  // Starts a grandchild and never finishes, writing both pids where the test can find them.
  'hang.mjs': `
    import { spawn } from 'node:child_process';
    import { writeFileSync } from 'node:fs';
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    writeFileSync(process.argv[2], JSON.stringify([process.pid, child.pid]));
    setInterval(() => {}, 1000);`,
};

beforeAll(() => {
  for (const [name, content] of Object.entries(SCRIPTS)) writeFileSync(script(name), content);
});
afterAll(() => folder.remove());

function recognize(
  template: string,
  options: Partial<ConstructorParameters<typeof CommandRecognizer>[0]> = {},
) {
  return new CommandRecognizer({ template, ...options }).recognize(oneSecond, {
    signal: new AbortController().signal,
  });
}

/**
 * A named pipe the hanging script writes its pids into: reading it resolves
 * as soon as the script has started its grandchild, with no polling.
 */
function pidPipe(name: string): { path: string; pids: Promise<number[]> } {
  const path = join(folder.path, name);
  execFileSync('mkfifo', [path]);
  return { path, pids: readFile(path, 'utf8').then((text) => JSON.parse(text) as number[]) };
}

describe('CommandRecognizer', () => {
  it('is named after its program and needs {input}', () => {
    expect(new CommandRecognizer({ template: '/opt/whisper/whisper-cli -f {input}' }).name).toBe(
      'command:whisper-cli',
    );
    expect(new CommandRecognizer({ template: 'x {input}', name: 'cloud' }).name).toBe('cloud');
    expect(() => new CommandRecognizer({ template: 'whisper-cli -f audio.wav' })).toThrow(BadRequest);
    expect(() => new CommandRecognizer({ template: '  ' })).toThrow(BadRequest);
  });

  it('passes a 16 kHz mono 16-bit wav of the window and reads plain text from stdout', async () => {
    const segments = await recognize(`${node} ${script('describe-input.mjs')} {input}`);
    // "RIFF", 16000 Hz, 1 channel, 32000 bytes of samples: the whole second.
    expect(segments).toEqual([{ start: 0, end: 1, text: 'RIFF 16000 1 32000' }]);
  });

  it('reads whisper.cpp JSON from {output} with the extension the program added', async () => {
    const segments = await recognize(`${node} ${script('whisper-json.mjs')} {input} {output}`);
    expect(segments).toEqual([
      { start: 0, end: 0.64, text: 'Hello' },
      { start: 0.64, end: 1, text: 'world.' },
    ]);
  });

  it('guesses SRT on stdout, or reads it as text when told to', async () => {
    const template = `${node} ${script('srt-stdout.mjs')} {input}`;
    expect(await recognize(template)).toEqual([{ start: 0.1, end: 0.9, text: 'Hi there' }]);
    expect((await recognize(template, { format: 'text' }))[0]?.text).toMatch(/^1 00:00:00,100 --> /);
  });

  it('keeps a quoted argument with spaces as one argument', async () => {
    const spaced = join(folder.path, 'with space.mjs');
    writeFileSync(spaced, `console.log(process.argv.length - 2, JSON.stringify(process.argv[3]))`);
    const segments = await recognize(`${node} '${spaced}' {input} "a b  c"`);
    expect(segments[0]?.text).toBe('2 "a b c"');
  });

  it('fails with the last line of stderr when the program exits non-zero', async () => {
    const error = await recognize(`${node} ${script('fail.mjs')} {input}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailed);
    expect((error as Error).message).toBe('command:node exited with code 3: error: cannot open model.bin');
  });

  it('fails when {output} is used but nothing was written there', async () => {
    const error = await recognize(`${node} ${script('describe-input.mjs')} {input} {output}`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineFailed);
    expect((error as Error).message).toMatch(/without writing its \{output\} file/);
  });

  it('says when the program does not exist', async () => {
    const error = await recognize('no-such-recogniser-xyz {input}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarkError);
    expect((error as HarkError).kind).toBe('engine_unavailable');
  });

  it('finishes when the program exits, killing what it left behind', async () => {
    const pipe = pidPipe('straggler-pids');
    const recognition = recognize(`${node} ${script('straggler.mjs')} ${pipe.path} {input}`);
    const pids = await pipe.pids;
    expect(await recognition).toEqual([{ start: 0, end: 1, text: 'done' }]);
    expect(await whenGone(pids)).toEqual([]);
  });

  it('kills the whole process group on abort, within a second', async () => {
    const pipe = pidPipe('abort-pids');
    const controller = new AbortController();
    const recognition = new CommandRecognizer({
      template: `${node} ${script('hang.mjs')} ${pipe.path} {input}`,
    }).recognize(oneSecond, { signal: controller.signal });
    const pids = await pipe.pids;
    expect(pids.every(isAlive)).toBe(true);
    const abortedAt = Date.now();
    controller.abort({ kind: 'shutdown' });
    await expect(recognition).rejects.toBeInstanceOf(Aborted);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(await whenGone(pids)).toEqual([]);
  });

  it('kills the whole process group when the time-out passes and fails with EngineFailed', async () => {
    const pipe = pidPipe('timeout-pids');
    const recognition = recognize(`${node} ${script('hang.mjs')} ${pipe.path} {input}`, {
      timeoutSeconds: 0.5,
    });
    const pids = await pipe.pids;
    expect(pids.every(isAlive)).toBe(true);
    const error = await recognition.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFailed);
    expect((error as Error).message).toMatch(/timed out after 500 ms/);
    expect(await whenGone(pids)).toEqual([]);
  });
});
