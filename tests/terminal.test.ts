import type { ChildProcess } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readInstanceInfo } from '../src/app/instanceLock.js';
import { fakeAudio } from '../src/transcription/fakeEngine.js';
import { CLI, exited, loaderFor, ROOT, runCli, spawnTracked, spawnTs } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function setup() {
  const dir = tempDir();
  const notes = join(dir, 'notes');
  const data = join(dir, 'data');
  mkdirSync(notes);
  const env = { HARK_NOTES_DIR: notes, HARK_DATA_DIR: data, HARK_ENGINE: 'fake', HARK_PORT: '0' };
  /** A file the scanner takes at once (old enough to count as settled). */
  const old = (path: string, content: string) => {
    writeFileSync(join(notes, path), content);
    const minuteAgo = Date.now() / 1000 - 60;
    utimesSync(join(notes, path), minuteAgo, minuteAgo);
  };
  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnTs(CLI, ['start', '--no-watch', ...args], { env: { ...process.env, ...env, ...extraEnv } });
  return { dir, notes, data, env, old, start };
}

/** `hark start` on a pseudo-terminal, through util-linux `script`, as a user at a terminal runs it. */
function startOnTerminal(env: NodeJS.ProcessEnv, args: string[]): ChildProcess {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, ...loaderFor(CLI), CLI, 'start', '--no-watch', ...args]
    .map(quote)
    .join(' ');
  return spawnTracked('script', ['-qfc', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
}

const ESC = '\x1b';

/** What a terminal shows after `output`: `\r` + erase-line wipes the line being drawn, `\n` ends it. */
function screen(output: string): string[] {
  const lines: string[] = [];
  let current = '';
  const plain = output.replaceAll('\r\n', '\n').replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
  for (const part of plain.split(new RegExp(`(\r${ESC}\\[2K|\n)`))) {
    if (part === '\r\x1b[2K') current = '';
    else if (part === '\n') {
      lines.push(current);
      current = '';
    } else current += part;
  }
  lines.push(current);
  return lines;
}

// The bar ProgressLine draws: "[#####-------] 40% name".
const BAR = /\[[#-]{24}\] \d+%/;

function stackFrames(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+at /.test(line));
}

async function listeningServer(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A port nothing listens on: bound, then let go. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  const port = await listeningServer(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  closers.pop();
  return port;
}

describe('hark start at a terminal and off it', () => {
  it('on a terminal: a ✓ or ✗ line per finished task, and no progress bar left on screen', async () => {
    const s = setup();
    s.old(
      'Meeting with Ana.mp3',
      fakeAudio({ text: 'hello ana', duration: 156, chunkSeconds: 10, msPerChunk: 40 }),
    );
    s.old('corrupt.mp3', fakeAudio({ fail: 'unreadable' }));
    const child = startOnTerminal(s.env, ['--no-serve']);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const done = exited(child);
    try {
      // A daemon: the screen is read while it still runs, so nothing at exit can tidy a frozen bar away.
      await eventually(
        () => /✓ Meeting with Ana\.mp3/.test(output) && /✗ corrupt\.mp3/.test(output),
        'both task lines',
      );
      await eventually(
        () => screen(output).every((line) => !BAR.test(line)),
        'the progress line to be cleared',
        {
          timeoutMs: 2_000,
        },
      );
      const shown = screen(output);
      expect(output).toMatch(BAR); // the bar was drawn while the long file was transcribed
      expect(shown.some((line) => /✓ Meeting with Ana\.mp3 \(2:36\) in \d+ s$/.test(line))).toBe(true);
      expect(
        shown.some((line) => /✗ corrupt\.mp3: Invalid data found when processing input \(fake\)$/.test(line)),
      ).toBe(true);
    } finally {
      // `script` ends when the Hark it runs ends: stop that one (its pid is in its instance file).
      const pid = readInstanceInfo(s.data)?.pid;
      if (pid && child.exitCode === null) process.kill(pid, 'SIGTERM');
    }
    expect((await done).code).toBe(0);
  }, 60_000);

  it('off a terminal: the same lines in the JSON log (info for ✓, warn for ✗), and no bar', async () => {
    const s = setup();
    s.old('a.wav', fakeAudio({ text: 'a', duration: 20 }));
    s.old('corrupt.mp3', fakeAudio({ fail: 'unreadable' }));
    const run = await exited(s.start(['--exit-when-idle']));
    expect(run.code, run.stderr).toBe(0);
    const entries = run.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 30, msg: expect.stringMatching(/^✓ a\.wav \(0:20\) in \d+ s$/) }),
    );
    expect(entries).toContainEqual({
      level: 40,
      msg: '✗ corrupt.mp3: Invalid data found when processing input (fake)',
      time: expect.any(Number),
    });
    expect(run.stderr).not.toMatch(BAR);
  }, 30_000);
});

describe('expected failures say what failed in one line', () => {
  it('a taken port is reported before any model download: one line, exit 1, no stack', async () => {
    const s = setup();
    const taken = await listeningServer(createServer());
    let modelRequests = 0;
    const models = await listeningServer(
      createHttpServer((_request, response) => {
        modelRequests++;
        response.writeHead(404).end();
      }) as unknown as Server,
    );
    const run = await exited(
      s.start(['--port', String(taken)], {
        HARK_ENGINE: 'auto',
        HARK_MODEL_BASE_URL: `http://127.0.0.1:${models}`,
      }),
    );
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toEqual([
      `hark: port ${taken} is taken (another program is listening there); use --port N [port_in_use]`,
    ]);
    expect(stackFrames(run.stderr)).toEqual([]);
    expect(modelRequests).toBe(0);
  }, 30_000);

  it('`hark models pull` with the model server refusing: one line, exit 1, no stack', async () => {
    const s = setup();
    const port = await refusedPort();
    const run = await runCli(['models', 'pull', 'tiny.en'], {
      ...s.env,
      HARK_MODEL_BASE_URL: `http://127.0.0.1:${port}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `hark: could not download ggml-tiny.en.bin from 127.0.0.1:${port}: the server refused the connection (ECONNREFUSED) [download_failed]`,
    ]);
    expect(stackFrames(run.stderr)).toEqual([]);
  }, 30_000);
});

describe('--exit-when-idle', () => {
  it('waits out a backoff: it exits 0 only after the retry ran', async () => {
    const s = setup();
    s.old('flaky.wav', fakeAudio({ fail: 'transient' }));
    const run = await exited(s.start(['--exit-when-idle', '--max-retries', '1']));
    expect(run.code, run.stderr).toBe(0);
    const messages = run.stderr
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    const retrying = messages.findIndex((msg) => /^↻ flaky\.wav: .*; trying again in \d+s$/.test(msg));
    const failed = messages.indexOf(
      '✗ flaky.wav: The engine failed (fake transient error) (gave up after 2 attempts)',
    );
    expect(retrying).toBeGreaterThanOrEqual(0);
    expect(failed).toBeGreaterThan(retrying);
    const tasks = await runCli(['tasks', '--json'], s.env);
    expect(tasks.stdout).toMatch(/"status": "failed"/);
    expect(tasks.stdout).toMatch(/"attempts": 2/);
  }, 60_000);

  it('with the queue paused, exits at once and says so', async () => {
    const s = setup();
    s.old('a.wav', fakeAudio({ text: 'a' }));
    expect((await runCli(['pause'], s.env)).code).toBe(0);
    const run = await exited(s.start(['--exit-when-idle']));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /the queue is paused \(by you; `hark resume` resumes it\): exiting with 1 task\(s\) left/,
    );
  }, 30_000);
});
