import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authHeaders } from './helpers/auth.js';
import { untilHarkServes } from './helpers/harkReady.js';
import { httpAsk, httpsAsk } from './helpers/https.js';
import { CLI, type Exit, exited, runCli, spawnTs, waitForOutput } from './helpers/processes.js';
import { tempDir } from './helpers/tmp.js';

/** A loopback alias: the only kind of "network" address a test may listen on. */
const LAN = '127.0.0.2';

interface Running {
  port: number;
  printed: string;
  stop(): Promise<Exit>;
}

async function startLan(notes: string, data: string, port = 0): Promise<Running> {
  const child = spawnTs(
    CLI,
    [
      'start',
      '--engine',
      'fake',
      '--notes',
      notes,
      '--data',
      data,
      '--port',
      String(port),
      '--no-watch',
      '--lan-address',
      LAN,
    ],
    { env: process.env },
  );
  const exit = exited(child);
  const printed = waitForOutput(child, /fingerprint \(SHA-256\): ([0-9A-F:]+)/);
  const url = await untilHarkServes(child, data);
  const line = await printed;
  return {
    port: Number(new URL(url).port),
    printed: line.split(': ')[1] ?? '',
    stop: async () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

describe('hark start --lan-address 127.0.0.2', () => {
  // One Hark per test (the leak check stops any child a test leaves running).
  let hark: Running | null = null;
  afterEach(async () => {
    await hark?.stop();
    hark = null;
  });
  async function start(
    dir: string,
    port = 0,
  ): Promise<{ hark: Running; ca: string; host: string; auth: Record<string, string> }> {
    hark = await startLan(join(dir, 'notes'), join(dir, 'data'), port);
    return {
      hark,
      auth: authHeaders(join(dir, 'data')),
      ca: readFileSync(join(dir, 'data', 'lan-cert.pem'), 'utf8'),
      host: `${LAN}:${hark.port}`,
    };
  }

  it('serves HTTPS there with the certificate it made, whose fingerprint it printed; loopback stays plain HTTP', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const { hark, ca, host, auth } = await start(dir);
    const answer = await httpsAsk(LAN, hark.port, '/api/health', { ca, headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.fingerprint).toBe(hark.printed);
    const lan = JSON.parse((await httpsAsk(LAN, hark.port, '/api/lan', { ca, headers: auth })).body);
    expect(lan).toEqual({ enabled: true, urls: [`https://${host}`], fingerprint: hark.printed });
    // The desktop's pairing code sends the phone to the LAN address, with the fingerprint to compare.
    const pairing = await fetch(`http://127.0.0.1:${hark.port}/api/pairing`, {
      method: 'POST',
      headers: auth,
    });
    const issued = (await pairing.json()) as { urls: string[]; fingerprint: string };
    expect(issued.fingerprint).toBe(hark.printed);
    expect(issued.urls).toEqual([
      expect.stringMatching(new RegExp(`^https://${host.replaceAll('.', '\\.')}/`)),
    ]);
    // `hark pair` prints the same: a QR code, the link at the LAN address, the fingerprint.
    const pair = await runCli(['pair', '--data', data]);
    expect(pair.code, pair.stderr).toBe(0);
    expect(pair.stdout).toContain(`or open https://${host}/?pair=`);
    expect(pair.stdout).toContain(hark.printed);
    expect(pair.stdout).toMatch(/[▀▄█]/);
    // No credential, no answer, over the LAN as on loopback.
    expect((await httpsAsk(LAN, hark.port, '/api/transcriptions', { ca })).status).toBe(401);
    // The other headers stay on the LAN listener.
    expect(answer.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(answer.headers['x-frame-options']).toBe('DENY');

    // HTTPS only on the LAN address; loopback answers plain HTTP as before, and no HTTPS.
    await expect(httpAsk(LAN, hark.port, '/api/health', { host })).rejects.toThrow();
    expect((await httpAsk('127.0.0.1', hark.port, '/api/health', auth)).status).toBe(200);
    await expect(httpsAsk('127.0.0.1', hark.port, '/api/health', { ca, headers: auth })).rejects.toThrow();
  }, 60_000);

  it('admits the LAN Host and HTTPS origin over TLS, and refuses every other Host and Origin', async () => {
    const { hark, ca, host, auth } = await start(tempDir());
    const p = hark.port;
    const over = (hostHeader: string) =>
      httpsAsk(LAN, p, '/api/health', { ca, headers: { ...auth, host: hostHeader } }).then((a) => a.status);
    expect(await over(host)).toBe(200);
    for (const foreign of [`localhost:${p}`, `127.0.0.1:${p}`, `evil.example:${p}`, LAN, `${LAN}:${p + 1}`]) {
      expect(await over(foreign), foreign).toBe(403);
    }
    // The LAN name over plain HTTP (the loopback listener) is no page of Hark's either.
    expect((await httpAsk('127.0.0.1', p, '/api/health', { ...auth, host })).status).toBe(403);

    const post = (origin: string, path: string) =>
      httpsAsk(LAN, p, path, { ca, method: 'POST', headers: { ...auth, origin } }).then((a) => a.status);
    expect(await post(`https://${host}`, '/api/queue/pause')).toBe(200);
    expect(await post(`https://${host}`, '/api/queue/resume')).toBe(200);
    for (const foreign of [
      `http://${host}`,
      'https://evil.example',
      `https://localhost:${p}`,
      `http://127.0.0.1:${p}`,
    ]) {
      expect(await post(foreign, '/api/queue/pause'), foreign).toBe(403);
    }
    const status = JSON.parse((await httpsAsk(LAN, p, '/api/queue', { ca, headers: auth })).body);
    expect(status.is_paused).toBe(false);
  }, 60_000);

  it('keeps the certificate for the next start (same fingerprint), with an owner-only key', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const before = first.hark.printed;
    await first.hark.stop();
    const again = await start(dir, first.hark.port);
    expect(again.hark.printed).toBe(before);
    expect(
      (await httpsAsk(LAN, again.hark.port, '/api/health', { ca: again.ca, headers: again.auth }))
        .fingerprint,
    ).toBe(before);
    expect(statSync(join(dir, 'data', 'lan-key.pem')).mode & 0o777).toBe(0o600);
  }, 60_000);
});
