import { readInstanceInfo } from '../../app/instanceLock.js';
import { InvalidState } from '../../core/errors.js';
import type { Command } from '../command.js';
import { appAuthHeaders } from '../runningApp.js';

interface Pairing {
  code: string;
  expires_at: number;
  urls: string[];
  fingerprint: string | null;
}

/**
 * `hark pair`: a one-time pairing code from the running Hark, as a QR code in
 * the terminal, for a phone on the same network (Hark started with --lan).
 */
export const pairCommand: Command = {
  name: 'pair',
  summary: 'Show a QR code that pairs a phone with the running Hark (started with --lan).',
  usage: 'hark pair [--data DIR]',
  async run(ctx) {
    const { dataDir } = ctx.config();
    const running = readInstanceInfo(dataDir);
    if (!running?.url) throw new InvalidState('Hark is not running: start it with `hark start --lan` first');
    const response = await fetch(`${running.url}/api/pairing`, {
      method: 'POST',
      headers: appAuthHeaders(dataDir),
    }).catch(() => {
      throw new InvalidState(`Hark does not answer at ${running.url}`);
    });
    const body = (await response.json().catch(() => null)) as (Pairing & { message?: string }) | null;
    if (!response.ok || !body) throw new InvalidState(body?.message ?? `Hark answered ${response.status}`);
    const phoneUrls = body.urls.filter((url) => url.startsWith('https://'));
    if (phoneUrls.length === 0) {
      throw new InvalidState('Phones reach Hark over your network: restart it with `hark start --lan`');
    }
    ctx.out(await pairingText({ ...body, urls: phoneUrls }, Date.now()));
    return 0;
  },
};

/** The QR code of the first address, every address as text, the fingerprint and how long the code lasts. */
export async function pairingText(pairing: Pairing, now: number): Promise<string> {
  const [first, ...others] = pairing.urls;
  // Loaded here, not at the top: every other command would load it for nothing.
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toString(first ?? '', { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
  const minutes = Math.max(1, Math.round((pairing.expires_at - now) / 60_000));
  return [
    'Scan this with your phone (same Wi-Fi as this computer):',
    qr,
    `or open ${first}`,
    ...others.map((url) => `   or ${url}`),
    pairing.fingerprint
      ? `Your phone will say the certificate is not trusted (Hark made it itself). Go on only if its SHA-256 fingerprint is\n  ${pairing.fingerprint}`
      : '',
    `The code works once, for ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  ]
    .filter(Boolean)
    .join('\n');
}
