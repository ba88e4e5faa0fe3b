import type { HarkApp } from '../app/harkApp.js';
import type { Log } from '../core/log.js';

/** `hark start --lan`: where phones reach Hark, and the certificate they should see. */
export function lanLines(app: HarkApp): string[] {
  const lan = app.lan;
  if (!lan) return [];
  if (lan.addresses.length === 0) return ['--lan: no network address found; phones cannot reach Hark'];
  return [
    `on your network, for your phone (HTTPS): ${lan.urls().join(', ')}`,
    `certificate fingerprint (SHA-256): ${lan.fingerprint}`,
    'pair a phone: "Devices" in the web app, or `hark pair`',
  ];
}

export function logLanLines(app: HarkApp, log: Log): void {
  for (const line of lanLines(app)) log.info(line);
}
