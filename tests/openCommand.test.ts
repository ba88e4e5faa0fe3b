import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretOf } from './helpers/auth.js';
import { untilHarkServes } from './helpers/harkReady.js';
import { CLI, exited, runCli, spawnTs, waitForOutput } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';

function folders() {
  const dir = tempDir();
  const notes = join(dir, 'notes');
  const data = join(dir, 'data');
  mkdirSync(notes);
  const start = (...extra: string[]) =>
    spawnTs(CLI, [
      'start',
      '--engine',
      'fake',
      '--no-watch',
      '--notes',
      notes,
      '--data',
      data,
      '--port',
      '0',
      ...extra,
    ]);
  return { notes, data, start };
}

async function login(url: string, code: string): Promise<number> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return response.status;
}

describe('signing in from the terminal', () => {
  it('`hark start` prints a one-time login link; `hark open` makes a fresh one while it runs', async () => {
    const s = folders();
    const app = s.start();
    const appExit = exited(app);
    const printed = await waitForOutput(app, /http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Za-z0-9_-]+/);
    const url = await untilHarkServes(app, s.data);
    const startCode = new URL(printed).searchParams.get('code') ?? '';
    expect(printed.startsWith(`${url}/?code=`)).toBe(true);

    const opened = await runCli(['open', '--no-browser', '--notes', s.notes, '--data', s.data]);
    expect(opened.code, opened.stderr).toBe(0);
    const link = opened.stdout.trim();
    expect(link).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${new URL(url).port}/\\?code=[A-Za-z0-9_-]{24}$`),
    );
    const openCode = new URL(link).searchParams.get('code') ?? '';
    expect(openCode).not.toBe(startCode);

    // Each works once.
    expect(await login(url, startCode)).toBe(200);
    expect(await login(url, startCode)).toBe(401);
    expect(await login(url, openCode)).toBe(200);
    expect(await login(url, openCode)).toBe(401);

    // The secret is in no line Hark wrote, nor in what it tells other processes.
    const secret = secretOf(s.data);
    expect(readFileSync(join(s.data, 'hark.instance.json'), 'utf8')).not.toContain(secret);
    app.kill('SIGTERM');
    const exit = await appExit;
    expect(exit.code).toBe(0);
    expect(exit.stdout + exit.stderr).not.toContain(secret);
    expect(exit.stdout + exit.stderr + opened.stdout + opened.stderr).not.toContain(secret);
  }, 60_000);

  it('`hark open` says how to start Hark when it is not running', async () => {
    const s = folders();
    const opened = await runCli(['open', '--no-browser', '--notes', s.notes, '--data', s.data]);
    expect(opened.code).toBe(1);
    expect(opened.stderr).toMatch(/Hark is not running on .*: start it with `hark start`/);
  });

  it('`hark start --no-auth` warns, prints the plain address, and answers without a credential', async () => {
    const s = folders();
    const app = s.start('--no-auth');
    const appExit = exited(app);
    const warning = await waitForOutput(app, /--no-auth: .*/);
    expect(warning).toMatch(/can read all your notes/);
    const url = await untilHarkServes(app, s.data);
    expect((await fetch(`${url}/api/queue`)).status).toBe(200);
    const opened = await runCli(['open', '--no-browser', '--notes', s.notes, '--data', s.data]);
    expect(opened.stdout.trim()).toBe(`${url}/`);
    app.kill('SIGTERM');
    expect((await appExit).code).toBe(0);
  }, 60_000);
});
