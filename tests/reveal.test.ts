import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { tempDir } from './helpers/tmp.js';
import { eventually } from './helpers/wait.js';

/** A folder name a shell would act on, were it ever handed to one. */
const AWKWARD = "it's $(touch pwned); `touch pwned2` & notes";

/** A fake xdg-open on PATH: it writes each argument it was given on a line of its own. */
function fakeOpener(): { dir: string; calls: string } {
  const dir = tempDir('hark-xdg-');
  const calls = join(dir, 'calls.txt');
  const script = join(dir, 'xdg-open');
  writeFileSync(script, `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg" >> '${calls}'; done\n`);
  chmodSync(script, 0o755);
  return { dir, calls };
}

/** A Hark whose notes folder holds one transcribed note in `folder`. */
async function appWithNote(folder: string): Promise<{ t: TestApp; id: string }> {
  const t = await startTestApp({
    files: { [`${folder}/071500-voice-note.wav`]: { text: 'hello', duration: 1 } },
  });
  const id = await eventually(async () => {
    const list = (await t.request({ url: '/api/transcriptions' })).json() as {
      transcriptions: { id: string }[];
    };
    return list.transcriptions[0]?.id;
  }, 'the note to be transcribed');
  return { t, id };
}

type Reveal = { opened: boolean; folder: string; reason: string | null };

describe('Show in folder (POST /api/transcriptions/:id/reveal)', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  let opener: { dir: string; calls: string };
  beforeEach(() => {
    opener = fakeOpener();
  });

  it('runs xdg-open with the folder as one argument, never through a shell', async () => {
    process.env.PATH = `${opener.dir}:${path}`;
    const { t, id } = await appWithNote(AWKWARD);
    const response = await t.request({ method: 'POST', url: `/api/transcriptions/${id}/reveal` });
    expect(response.statusCode).toBe(200);
    const folder = join(t.notes, AWKWARD);
    expect(response.json()).toEqual({ opened: true, folder, reason: null });
    // The shell's `>>` creates the file before printf writes to it: wait for the whole line.
    const calls = await eventually(() => {
      const written = existsSync(opener.calls) ? readFileSync(opener.calls, 'utf8') : '';
      return written.endsWith('\n') ? written : undefined;
    }, 'xdg-open to run');
    expect(calls).toBe(`${folder}\n`);
    for (const name of ['pwned', 'pwned2']) {
      expect(existsSync(join(t.notes, name)) || existsSync(join(process.cwd(), name))).toBe(false);
    }
  });

  it('gives the path to copy when the machine has no xdg-open', async () => {
    process.env.PATH = tempDir('hark-empty-path-');
    const { t, id } = await appWithNote('2024-05-05');
    const body = (
      await t.request({ method: 'POST', url: `/api/transcriptions/${id}/reveal` })
    ).json() as Reveal;
    expect(body).toEqual({
      opened: false,
      folder: join(t.notes, '2024-05-05'),
      reason: expect.stringMatching(/no file manager opener \(xdg-open\)/),
    });
  });

  it('gives the path to a paired phone, never opening a window on the machine it is not at', async () => {
    process.env.PATH = `${opener.dir}:${path}`;
    const { t, id } = await appWithNote('2024-05-05');
    const pairing = (await t.request({ method: 'POST', url: '/api/pairing' })).json() as { code: string };
    const paired = await t.anonymous({
      method: 'POST',
      url: '/api/auth/pair',
      payload: { code: pairing.code, name: 'phone' },
    });
    const cookie = paired.cookies.find((c) => c.name === 'hark_session');
    const device = { cookie: `hark_session=${cookie?.value}` };
    const response = await t.anonymous({
      method: 'POST',
      url: `/api/transcriptions/${id}/reveal`,
      headers: device,
    });
    expect(response.json()).toMatchObject({ opened: false, folder: join(t.notes, '2024-05-05') });
    expect((response.json() as Reveal).reason).toMatch(/not on this device/);
    // A request from another address is treated the same (the LAN, a proxy).
    const remote = await t.request({
      method: 'POST',
      url: `/api/transcriptions/${id}/reveal`,
      remoteAddress: '192.168.1.20',
    });
    expect(remote.json()).toMatchObject({ opened: false });
    expect(existsSync(opener.calls)).toBe(false);
    expect(
      (await t.request({ method: 'POST', url: '/api/transcriptions/00000000000000000000/reveal' }))
        .statusCode,
    ).toBe(404);
  });
});
